import type { ColumnType, Generated } from 'kysely';

/** Table types, one interface per area; `Database` joins them for kysely. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T = unknown> = ColumnType<T, string, string>;

export interface FoundationTables {
  calendar_overrides: {
    date: ColumnType<string, string, string>;
    kind: 'workday' | 'holiday';
    note: string | null;
    updated_at: Generated<Timestamp>;
  };
  app_secrets: {
    name: string;
    value: string;
  };
}

export interface WecomTables {
  inbox: {
    id: Generated<number>;
    dedupe_key: string;
    kind: 'text' | 'tap' | 'event';
    req_id: string;
    chat_id: string | null;
    user_id: string | null;
    frame: Json;
    received_at: Timestamp;
    handled_at: Timestamp | null;
    attempts: Generated<number>;
    last_error: string | null;
  };
  outbox: {
    id: Generated<number>;
    channel: 'reply' | 'push' | 'update' | 'webhook';
    chat_id: string;
    req_id: string | null;
    body: Json;
    dedupe_key: string | null;
    status: Generated<'pending' | 'sent' | 'failed'>;
    attempts: Generated<number>;
    attempt_log: Generated<Json<OutboxAttempt[]>>;
    next_attempt_at: Timestamp;
    created_at: Timestamp;
    sent_at: Timestamp | null;
    last_errcode: number | null;
    last_error: string | null;
  };
}

export interface OutboxAttempt {
  at: string;
  errcode: number;
  error?: string;
  retryAt?: string;
}

export interface Database extends FoundationTables, WecomTables {}
