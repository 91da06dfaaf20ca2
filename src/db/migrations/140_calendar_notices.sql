-- A year's holidays as the State Council's notice gives them (国务院办公厅关于20XX年部分节假日安排的通知), for the years
-- the holiday package does not know yet (issue 23). The desk pastes the notice; what it reads waits in
-- calendar_notice_drafts until someone confirms it, then the year's days off and make-up working days are here and the
-- year is confirmed. holidays / workdays: [{"date": "YYYY-MM-DD", "name": "春节"}, …].
CREATE TABLE calendar_notice_drafts (
  year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  text text NOT NULL,
  holidays jsonb NOT NULL,
  workdays jsonb NOT NULL,
  drafted_by text NOT NULL,
  drafted_at timestamptz NOT NULL
);

CREATE TABLE calendar_notices (
  year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  text text NOT NULL,
  holidays jsonb NOT NULL,
  workdays jsonb NOT NULL,
  confirmed_by text NOT NULL,
  confirmed_at timestamptz NOT NULL
);
