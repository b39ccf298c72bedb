-- packaging-service's state: one row per model version, claimed with a lease while it is built.
create table build (
  model           text        not null,
  version         integer     not null,
  -- awaiting-model | queued | retrying | building | smoke-testing | pushed | failed | skipped
  status          text        not null,
  -- the ModelTrained event (JSON): what to build; null while a promotion waits for its model
  trained_json    text,
  reference       text,
  digest          text,
  size_bytes      bigint      not null default 0,
  pushed_bytes    bigint      not null default 0,
  signed          boolean     not null default false,
  reason_code     text,
  reason          text,
  smoke_test      text,
  -- build attempts begun (a takeover after a crash is one more)
  attempts        integer     not null default 0,
  -- transient failures in a row, for the backoff; since when they last
  retries         integer     not null default 0,
  retrying_since  timestamptz,
  next_attempt_at timestamptz,
  -- times the build ended failed: ImageBuildFailed.attempt
  failures        integer     not null default 0,
  labels_json     text        not null default '{}',
  promoted        boolean     not null default false,
  aliases_json    text        not null default '[]',
  -- the instance building it, and until when its claim holds unless renewed
  owner           text,
  lease_until     timestamptz,
  started_at      timestamptz,
  finished_at     timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (model, version)
);
create index build_open_idx on build (created_at) where status in ('queued', 'retrying', 'building', 'smoke-testing');

-- The two tables every service with an outbox has in its own schema (see docs/design.md).
create table outbox (
  id         bigserial primary key,
  event_type text        not null,
  payload    text        not null,
  created_at timestamptz not null default now(),
  sent_at    timestamptz,
  error      text
);
create index outbox_pending_idx on outbox (id) where sent_at is null and error is null;

create table processed_event (
  event_id     text primary key,
  processed_at timestamptz not null default now()
);
