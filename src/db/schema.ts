import type { ColumnType, Generated } from 'kysely';

/** Table types, one interface per area; `Database` joins them for kysely. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in by default when an insert leaves it out. */
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T = unknown> = ColumnType<T, string, string>;

export interface AuditTables {
  audit_log: {
    id: Generated<number>;
    subject: 'org' | 'sla_policies' | 'calendar' | 'outages' | 'faq' | 'tokens';
    actor: string;
    at: Timestamp;
    before: Json | null;
    after: Json;
  };
  api_tokens: {
    id: Generated<number>;
    holder: string;
    role: 'admin' | 'leader';
    token_hash: Buffer;
    tail: string;
    issued_by: string;
    issued_at: Timestamp;
    revoked_at: Timestamp | null;
    revoked_by: string | null;
  };
}

export interface FoundationTables {
  calendar_overrides: {
    date: ColumnType<string, string, string>;
    kind: 'workday' | 'holiday';
    note: string | null;
    updated_at: GeneratedTimestamp;
  };
  /** A pasted holiday notice waiting to be confirmed, one per year. */
  calendar_notice_drafts: {
    year: number;
    text: string;
    holidays: Json<{ date: string; name: string }[]>;
    workdays: Json<{ date: string; name: string }[]>;
    drafted_by: string;
    drafted_at: Timestamp;
  };
  /** A year's confirmed holiday notice: its days off and make-up working days decide every deadline of the year. */
  calendar_notices: {
    year: number;
    text: string;
    holidays: Json<{ date: string; name: string }[]>;
    workdays: Json<{ date: string; name: string }[]>;
    confirmed_by: string;
    confirmed_at: Timestamp;
  };
  app_secrets: {
    name: string;
    value: string;
  };
  service_facts: {
    name: string;
    value: string;
    at: GeneratedTimestamp;
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
    failed_at: Timestamp | null;
  };
  outbox: {
    id: Generated<number>;
    channel: 'reply' | 'push' | 'update' | 'webhook';
    chat_id: string;
    req_id: string | null;
    body: Json;
    dedupe_key: string | null;
    /** `waiting`: refused by a chat nobody there had messaged the bot in; sent once the chat is heard from. */
    status: Generated<'pending' | 'sent' | 'failed' | 'folded' | 'dropped' | 'waiting'>;
    attempts: Generated<number>;
    attempt_log: ColumnType<OutboxAttempt[], string | undefined, string>;
    next_attempt_at: Timestamp;
    created_at: Timestamp;
    sent_at: Timestamp | null;
    last_errcode: number | null;
    last_error: string | null;
    locked_by: string | null;
    locked_until: Timestamp | null;
    rank: Generated<number>;
    fold_lines: string[] | null;
    folded_into: number | null;
    clock_ids: number[] | null;
    stale_at: Timestamp | null;
    bot_id: string | null;
    possibly_sent: Generated<boolean>;
  };
  heard_chats: {
    chat_id: string;
    chat_type: 'group' | 'single';
    first_seen_at: Timestamp;
    last_seen_at: Timestamp;
    speakers: string[];
    last_speaker: string;
  };
  wecom_leases: {
    bot_id: string;
    holder: string;
    epoch: number;
    expires_at: Timestamp;
    connected: Generated<boolean>;
    renewed_at: GeneratedTimestamp;
  };
}

export interface OutboxAttempt {
  at: string;
  /** WeCom's answer; -1 also when no answer came (ack timeout, closed socket), with `error` saying which. */
  errcode: number;
  error?: string;
  retryAt?: string;
}

export type AreaClass = 'urban' | 'rural' | 'remote';

/** A connection application's class (业扩报装): 居民, or a non-residential supply class. */
export const CONNECTION_CLASSES = ['residential', 'low_voltage', 'hv_single', 'hv_dual'] as const;
export type ConnectionClass = (typeof CONNECTION_CLASSES)[number];

export interface TicketTables {
  org_versions: {
    id: Generated<number>;
    doc: Json;
    source: 'file' | 'api';
    created_at: Timestamp;
  };
  number_sequences: {
    prefix: string;
    day: string;
    last: number;
  };
  outages: {
    id: Generated<number>;
    no: string;
    kind: 'planned' | 'temporary' | 'arrears' | 'fault' | 'rationing' | 'other';
    areas: string[];
    line: string | null;
    voltage_kv: number | null;
    starts_at: Timestamp;
    restore_at: Timestamp | null;
    cause: string;
    key_customers: string | null;
    remarks: string | null;
    source_ticket_id: number | null;
    published_by: string;
    published_at: Timestamp;
    ended_at: Timestamp | null;
    scope: Generated<'areas' | 'line' | 'places'>;
    places: Generated<string[]>;
    renewed_at: Timestamp | null;
  };
  ticket_photos: {
    id: Generated<number>;
    ticket_id: number;
    bytes: Buffer;
    size: number;
    sent_by: string;
    msg_id: string;
    at: Timestamp;
  };
  tickets: {
    id: Generated<number>;
    no: string;
    kind: 'repair' | 'complaint' | 'report' | 'suggestion' | 'praise' | 'inquiry' | 'query' | 'connection';
    state: string;
    area: string | null;
    area_class: AreaClass | null;
    owner_unit_id: string | null;
    owner_user_id: string | null;
    route_rule: string | null;
    address: string | null;
    address_key: string | null;
    landmark: string | null;
    line: string | null;
    voltage_kv: number | null;
    description: string;
    reporter_name: string | null;
    phone: string | null;
    subject: string | null;
    demand: string | null;
    revisit_method: 'phone' | 'wecom' | 'letter' | 'none' | null;
    category: string | null;
    topic: string | null;
    linked_outage_id: number | null;
    linked_ticket_id: number | null;
    opened_by: string;
    source_chat_id: string;
    dispatched_at: Timestamp | null;
    arrival_due_at: Timestamp | null;
    result: string | null;
    answer: string | null;
    satisfaction: 'satisfied' | 'fair' | 'dissatisfied' | null;
    overdue_at: Timestamp | null;
    connection_class: ConnectionClass | null;
    created_at: Timestamp;
    updated_at: Timestamp;
    object_type: 'person' | 'unit' | 'department' | null;
    anonymous: Generated<boolean>;
    customer_acceptance: string | null;
    handling_due_at: Timestamp | null;
    answer_method: 'phone' | 'wecom' | 'letter' | null;
  };
  ticket_events: {
    id: Generated<number>;
    ticket_id: number;
    type: string;
    from_state: string | null;
    to_state: string;
    actor_id: string;
    actor_name: string;
    via: 'message' | 'tap' | 'api' | 'system';
    via_ref: string | null;
    chat_id: string | null;
    data: Json<Record<string, unknown>>;
    at: Timestamp;
  };
  ticket_cards: {
    task_id: string;
    ticket_id: number;
    chat_id: string;
    created_at: Timestamp;
  };
  /** A helper's part of a jointly handled work order. */
  ticket_parts: {
    id: Generated<number>;
    ticket_id: number;
    unit_id: string;
    state: 'dispatched' | 'accepted' | 'replied';
    due_at: Timestamp;
    result: string | null;
    replied_by: string | null;
    replied_at: Timestamp | null;
    created_at: Timestamp;
  };
}

export interface SlaTables {
  sla_policies: {
    id: Generated<number>;
    code: string;
    kind: TicketTables['tickets']['kind'];
    area_class: AreaClass | null;
    classes: ConnectionClass[] | null;
    start_event: string;
    stop_events: string[];
    limit_amount: number;
    limit_unit: 'minutes' | 'working_days';
    warn_fraction: number | null;
    escalate_every: number | null;
    responsible: 'owner' | 'desk';
    since_text: string;
    awaited_text: string;
    action_text: string;
    enabled: Generated<boolean>;
    cancel_events: Generated<string[]>;
    once: Generated<boolean>;
    updated_at: GeneratedTimestamp;
  };
  sla_clocks: {
    id: Generated<number>;
    ticket_id: number;
    policy_id: number;
    unit_id: string | null;
    started_at: Timestamp;
    due_at: Timestamp;
    stopped_at: Timestamp | null;
    stop_event: string | null;
    /** The helper unit whose part of a joint work order this clock times; null for the ticket's own clocks. */
    part_of: Generated<string | null>;
    /** The clock's own limit: its policy's, or the one its ticket set. */
    limit_amount: number;
    limit_unit: 'minutes' | 'working_days';
  };
  sla_timers: {
    id: Generated<number>;
    clock_id: number;
    step: 'warn' | 'breach' | 'unit_leader' | 'company_leader';
    fire_at: Timestamp;
    fired_at: Timestamp | null;
    outcome: 'sent' | 'skipped' | null;
    message_id: number | null;
  };
}

export interface FaqTables {
  faq_entries: {
    id: string;
    topic: string | null;
    question: string;
    similar: string[];
    answer: string;
    tags: string[];
    updated_at: Timestamp;
  };
  faq_offers: {
    ticket_id: number;
    chat_id: string;
    user_id: string;
    question: string;
    entry_ids: string[];
    offered_at: Timestamp;
    expires_at: Timestamp;
    closed_at: Timestamp | null;
  };
  faq_feedback: {
    id: Generated<number>;
    ticket_id: number;
    question: string;
    entry_id: string;
    source: 'pick' | 'desk';
    rank: number | null;
    helped: ColumnType<boolean, boolean | undefined, boolean>;
    at: Timestamp;
  };
}

/** What the operations messages read besides the desk's own tables (migration 110). */
export interface OpsTables {
  log_events: {
    id: Generated<number>;
    hour: Timestamp;
    level: 'warn' | 'error' | 'fatal';
    message: string;
    source: string;
    code: string;
    count: number;
    first_at: Timestamp;
    last_at: Timestamp;
  };
  wecom_uptime: {
    minute: Timestamp;
    connected: boolean;
  };
  backup_runs: {
    id: Generated<number>;
    at: Timestamp;
    ok: boolean;
    file: string | null;
    copy: string | null;
    bytes: number | null;
    error: string | null;
  };
}

/** The sandbox's clock offset and chats, kept across restarts (src/console/sandbox-world.ts). */
export interface SandboxTables {
  sandbox_world: {
    name: 'clock' | 'chats';
    value: Json;
    saved_at: GeneratedTimestamp;
  };
}

export interface Database extends SandboxTables, FoundationTables, WecomTables, TicketTables, SlaTables, FaqTables, AuditTables, OpsTables {}
