-- Every process answers from an index in memory. Any change to faq_entries (an import, or an edit by hand in SQL)
-- bumps one counter in the same transaction; a process compares it before answering and rebuilds when it moved,
-- so an import is seen everywhere at once, without a restart.
CREATE TABLE faq_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version bigint NOT NULL
);
INSERT INTO faq_version (version) VALUES (0);

CREATE FUNCTION faq_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE faq_version SET version = version + 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER faq_entries_changed
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON faq_entries
  FOR EACH STATEMENT EXECUTE FUNCTION faq_version_bump();

-- The topic routes an inquiry the bot cannot answer to the specialist for it (电费, 停电, 报装, 计量 …).
ALTER TABLE faq_entries ADD COLUMN topic text;
