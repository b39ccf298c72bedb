-- Secret values given inline in a run request, sealed with AES-256-GCM (never in clear), kept only
-- while the run can still execute: the trigger below deletes them once the run reaches a final status.
create table run_secret (
  run_id text  not null references run (id) on delete cascade,
  name   text  not null,
  sealed bytea not null, -- 12-byte nonce, then ciphertext and tag; associated data: run id and name
  primary key (run_id, name)
);

create function run_secret_forget() returns trigger language plpgsql as $$
begin
  delete from run_secret where run_id = new.id;
  return new;
end $$;

create trigger run_secret_forget_at_end
  after update of status on run
  for each row when (new.status in ('completed', 'failed', 'canceled'))
  execute function run_secret_forget();

-- Every change of a model alias, in order; its id is the `sequence` of the ModelPromoted event that
-- announces it (published through the outbox in the same transaction).
create table model_alias_change (
  id               bigserial   primary key,
  model_name       text        not null references registered_model (name),
  alias            text        not null,
  version          int         not null, -- assigned: the version it now points at; removed: the version it left
  previous_version int,                  -- the version it pointed at before (null: it did not exist)
  change           text        not null, -- assigned | removed
  cause            text        not null, -- gate | manual
  changed_at       timestamptz not null default now()
);
create index model_alias_change_model_idx on model_alias_change (model_name, alias, id);
