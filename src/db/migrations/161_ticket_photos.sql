-- Site photos crews send with /现场 or /完成 (or quoting the ticket's card): kept in the database, so backups hold them.
CREATE TABLE ticket_photos (
  id bigserial PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets (id),
  bytes bytea NOT NULL,
  size integer NOT NULL,
  sent_by text NOT NULL,
  msg_id text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX ticket_photos_ticket ON ticket_photos (ticket_id, id);
