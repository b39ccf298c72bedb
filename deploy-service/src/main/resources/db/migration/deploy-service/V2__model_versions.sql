-- What training said about each model version (from ModelTrained): the policy deploys promoted versions only.
create table model_version (
  model_name    varchar(200) not null,
  model_version int          not null,
  promoted      boolean      not null,
  trained_at    timestamptz  not null,
  primary key (model_name, model_version)
);
