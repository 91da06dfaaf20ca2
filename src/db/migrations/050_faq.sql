-- The FAQ knowledge base the bot answers inquiries (咨询) from. Ids are the desk's own (faq-001), so exports
-- and imports line up across installations; the matcher keeps its index in memory and rebuilds it on import.
-- "similar" is quoted: it is a keyword (SIMILAR TO).
CREATE TABLE faq_entries (
  id text PRIMARY KEY,
  question text NOT NULL,
  "similar" text[] NOT NULL DEFAULT '{}',
  answer text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);
