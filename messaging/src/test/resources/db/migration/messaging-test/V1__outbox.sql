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
