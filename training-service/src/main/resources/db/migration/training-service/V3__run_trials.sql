-- The trials of an AutoML run: the sweep's child runs (MLflow nests them under the parent run,
-- Azure ML lists them as child jobs). One row per trial; re-executing a run overwrites its rows.
create table run_trial (
  run_id  text    not null references run (id) on delete cascade,
  trial   integer not null,
  family  text    not null,
  params  text    not null, -- JSON object
  metrics text    not null, -- JSON object, empty for a failed trial
  score   double precision,  -- the value the search ranks by; null for a failed trial
  millis  bigint  not null,
  error   text,              -- why the trial failed; null when it did not
  primary key (run_id, trial)
);
