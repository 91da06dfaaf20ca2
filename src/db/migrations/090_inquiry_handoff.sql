-- An inquiry the knowledge base is not sure of waits for its asker: the numbered candidates they were shown, in that
-- chat, for them alone, until the window closes. A bare 1/2/3 from them answers it, 转人工 hands it to the desk; an offer
-- nobody took up by the end of its window goes to the desk as well (jobs/inquiry-offers.ts).
CREATE TABLE faq_offers (
  ticket_id bigint PRIMARY KEY REFERENCES tickets (id),
  chat_id text NOT NULL,
  user_id text NOT NULL,
  question text NOT NULL,
  entry_ids text[] NOT NULL,
  offered_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  -- Set when the offer ends (handed to the desk, or lapsed); picks leave it open so 转人工 still works after one.
  closed_at timestamptz
);
CREATE INDEX faq_offers_asker ON faq_offers (chat_id, user_id, offered_at DESC) WHERE closed_at IS NULL;
CREATE INDEX faq_offers_open ON faq_offers (expires_at) WHERE closed_at IS NULL;

-- Which entry answered which question, from the people who know: an asker's pick (helped until they ask for a person
-- or pick another) and a desk answer saved with /入库. The matcher is measured against these rows.
CREATE TABLE faq_feedback (
  id bigserial PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets (id),
  question text NOT NULL,
  entry_id text NOT NULL,
  source text NOT NULL CHECK (source IN ('pick', 'desk')),
  -- The candidate's number in the offer (1–3); null for the desk.
  rank integer,
  helped boolean NOT NULL DEFAULT true,
  at timestamptz NOT NULL
);
CREATE INDEX faq_feedback_ticket ON faq_feedback (ticket_id);

-- 三、三、2 an inquiry passed to the specialist of its topic and supply area (三方通话): answered within the limit the desk
-- sets with /转专业 (this row is the limit when the desk names none); chased in the specialist's chat like other limits.
INSERT INTO sla_policies
  (code, kind, area_class, start_event, stop_events, cancel_events, limit_amount, limit_unit, warn_fraction, escalate_every,
   responsible, since_text, awaited_text, action_text, enabled)
VALUES
  ('inquiry.specialist', 'inquiry', NULL, 'referred', '{answered}', '{}', 1, 'working_days', 0.75, 1, 'owner',
   '转专业', '专业答复', '请答复客户：/答复 {no} 答复内容', true);
