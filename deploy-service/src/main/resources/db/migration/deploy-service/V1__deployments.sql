-- One row per (rollout, target): the deployment history and the queue of pending rollouts.
create table deployment (
  id               bigserial primary key,
  rollout_id       varchar(64)  not null,
  stage            int          not null,
  target           varchar(100) not null,
  target_kind      varchar(20)  not null,
  model_name       varchar(200) not null,
  model_version    int          not null,
  image_reference  varchar(500) not null,
  image_digest     varchar(80)  not null,
  trigger          varchar(20)  not null,
  source_event_id  varchar(200),
  status           varchar(30)  not null,
  previous_version int,
  message          text,
  attempts         int          not null default 0,
  next_attempt_at  timestamptz,
  created_at       timestamptz  not null,
  updated_at       timestamptz  not null,
  started_at       timestamptz,
  finished_at      timestamptz,
  -- the last status announced with a ModelDeployed event: a status that differs is announced again
  -- (after a crash between the state change and the send), so state and events do not diverge.
  announced_status varchar(30),
  duration_ms      bigint
);
-- ImagePushed is delivered at least once: one deployment per event and target.
create unique index deployment_event_target on deployment (source_event_id, target);
create index deployment_target on deployment (target, id desc);
create index deployment_open on deployment (status) where status in ('queued', 'pending', 'running', 'awaiting_approval');
