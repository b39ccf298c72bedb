-- Tracking store, model registry, trigger state and the transactional outbox of the training-service.

-- Every dataset version announced by DataLanded: a run trains on all versions up to its trigger.
create table dataset_version (
  dataset     text        not null,
  version     bigint      not null,
  uris        text        not null, -- JSON array
  format      text        not null,
  schema_json text        not null, -- JSON array of {name,type}
  row_count   bigint      not null,
  sha256      text        not null,
  landed_at   timestamptz not null,
  primary key (dataset, version)
);

-- Debounce state per experiment: data landed since the last trigger.
create table trigger_state (
  experiment      text primary key,
  pending_rows    bigint      not null default 0,
  latest_dataset  text,
  latest_version  bigint,
  first_pending   timestamptz,
  last_landed     timestamptz,
  last_triggered  timestamptz
);

create table run (
  id              text primary key,
  experiment      text        not null,
  trigger         text        not null,
  status          text        not null,
  trainer_kind    text        not null,
  compute_target  text        not null,
  spec_json       text        not null,
  datasets_json   text        not null,
  seed            bigint,
  code_hash       text,
  environment     text,
  phase           text,
  failure_reason  text,
  error           text,
  attempt         int         not null default 0,
  cancel_requested boolean    not null default false,
  owner           text,
  model_name      text,
  model_version   int,
  requested_at    timestamptz not null,
  created_at      timestamptz not null default now(),
  started_at      timestamptz,
  ended_at        timestamptz
);
create index run_status_idx on run (status, created_at);
create index run_experiment_idx on run (experiment, created_at);

create table run_param (
  run_id text not null references run (id) on delete cascade,
  key    text not null,
  value  text not null,
  primary key (run_id, key)
);

create table run_tag (
  run_id text not null references run (id) on delete cascade,
  key    text not null,
  value  text not null,
  primary key (run_id, key)
);

create table run_metric (
  id        bigserial primary key,
  run_id    text             not null references run (id) on delete cascade,
  key       text             not null,
  value     double precision not null,
  step      bigint           not null default 0,
  logged_at timestamptz      not null default now()
);
create index run_metric_run_idx on run_metric (run_id, key, step);

create table run_log (
  id      bigserial primary key,
  run_id  text        not null references run (id) on delete cascade,
  stream  text        not null,
  line    text        not null,
  logged_at timestamptz not null default now()
);
create index run_log_run_idx on run_log (run_id, id);

create table registered_model (
  name        text primary key,
  description text,
  created_at  timestamptz not null default now()
);

create table model_version (
  model_name     text        not null references registered_model (name),
  version        int         not null,
  run_id         text        not null,
  description    text,
  tags_json      text        not null default '{}',
  properties_json text       not null default '{}',
  metrics_json   text        not null default '{}',
  primary_metric text,
  onnx_uri       text        not null,
  onnx_sha256    text        not null,
  package_uri    text,
  signature_json text,
  lineage_json   text        not null,
  promoted       boolean     not null default false,
  created_at     timestamptz not null default now(),
  primary key (model_name, version),
  unique (model_name, run_id)
);

create table model_alias (
  model_name text not null,
  alias      text not null,
  version    int  not null,
  updated_at timestamptz not null default now(),
  primary key (model_name, alias),
  foreign key (model_name, version) references model_version (model_name, version)
);

-- Which versions a deployment uses (from ModelDeployed): such versions cannot be deleted.
create table model_deployment (
  target        text        not null primary key,
  model_name    text        not null,
  model_version int         not null,
  status        text        not null,
  updated_at    timestamptz not null default now()
);

-- Events to publish, written in the same transaction as the state change they announce.
create table outbox (
  id         bigserial primary key,
  event_type text        not null,
  payload    text        not null,
  created_at timestamptz not null default now(),
  sent_at    timestamptz,
  error      text -- set when the row can never be published (it is then skipped, not retried)
);
create index outbox_pending_idx on outbox (id) where sent_at is null and error is null;

-- ce ids already handled, for idempotent consumers.
create table processed_event (
  event_id     text primary key,
  processed_at timestamptz not null default now()
);
