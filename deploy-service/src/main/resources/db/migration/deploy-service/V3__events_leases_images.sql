-- The shared transactional outbox (ModelDeployed is written in the transaction of the state change
-- it announces) and the consumer dedupe table, as every service with an outbox has them
-- (docs/design.md; DDL of messaging's V1__outbox.sql).
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

-- Several deploy-service instances may share this database. A running deployment is owned by one
-- instance and leased until lease_until; the owner renews the lease while it rolls out, and another
-- instance takes the deployment over only after the lease expired. Status changes of a running
-- deployment are fenced on its owner.
alter table deployment add column owner varchar(200);
alter table deployment add column lease_until timestamptz;
create index deployment_running on deployment (target) where status = 'running';
-- Rollout ids name the model and the event: wider than the first schema allowed.
alter table deployment alter column rollout_id type varchar(300);

-- Every image deploy has heard of, admitted or not: a later promotion of a version rolls out its
-- admitted image; a rejected one is never run.
create table model_image (
  model_name      varchar(200) not null,
  model_version   int          not null,
  digest          varchar(80)  not null,
  image_reference varchar(500) not null,
  admitted        boolean      not null,
  reason          text,
  source_event_id varchar(200) not null,
  received_at     timestamptz  not null,
  primary key (model_name, model_version, digest)
);

-- The champion as deploy knows it, from ModelPromoted (ordered by the registry's sequence) and from
-- ImagePushed.promoted (ordered by time): version null = no champion.
create table model_champion (
  model_name    varchar(200) primary key,
  model_version int,
  sequence      bigint,
  as_of         timestamptz  not null,
  from_event    varchar(30)  not null,
  updated_at    timestamptz  not null
);

-- Versions whose champion alias changed through a ModelPromoted: their ImagePushed.promoted (a
-- snapshot taken when packaging started) no longer decides anything.
create table model_promotion (
  model_name    varchar(200) not null,
  model_version int          not null,
  sequence      bigint       not null,
  primary key (model_name, model_version)
);

-- Promotion is an event now (ModelPromoted, ImagePushed.promoted): ModelTrained is no longer read.
drop table model_version;
