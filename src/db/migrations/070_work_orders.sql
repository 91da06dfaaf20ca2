-- Complaints, reports, suggestions and praise through to the customer's answer (issue 14).

-- Intake as the regulation lists it (三、二、1): what the object is, how the customer wants to be called back (codes of
-- src/domain/tickets/work-orders.ts), and whether a 举报 is anonymous. After handling: the customer's acceptance as the
-- department reported it, and how the desk answered the customer.
ALTER TABLE tickets ADD COLUMN object_type text CHECK (object_type IN ('person', 'unit', 'department'));
ALTER TABLE tickets ADD COLUMN anonymous boolean NOT NULL DEFAULT false;
ALTER TABLE tickets ADD COLUMN customer_acceptance text;
-- The handling deadline the work card shows: the 5 / 10 working days from the first hand-over (the clock that holds it
-- is in sla_clocks; this is its due time as of the hand-over, for reading).
ALTER TABLE tickets ADD COLUMN handling_due_at timestamptz;
ALTER TABLE tickets ADD COLUMN answer_method text CHECK (answer_method IN ('phone', 'wecom', 'letter'));
-- Earlier tickets kept the method as typed; the codes are what the flow reads now.
UPDATE tickets SET revisit_method = CASE
  WHEN revisit_method LIKE '%不%' OR revisit_method LIKE '%无%' THEN 'none'
  WHEN revisit_method LIKE '%信%' THEN 'letter'
  WHEN revisit_method LIKE '%微信%' THEN 'wecom'
  ELSE 'phone' END
WHERE revisit_method IS NOT NULL;
ALTER TABLE tickets ADD CONSTRAINT tickets_revisit_method CHECK (revisit_method IN ('phone', 'wecom', 'letter', 'none'));

-- Joint handling (三、二、6): the helpers the coordinating leader names, each with its own part of the order.
CREATE TABLE ticket_parts (
  id bigserial PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets (id),
  unit_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('dispatched', 'accepted', 'replied')),
  due_at timestamptz NOT NULL,
  result text,
  replied_by text,
  replied_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (ticket_id, unit_id)
);
CREATE INDEX ticket_parts_open ON ticket_parts (unit_id) WHERE state <> 'replied';
