-- Several training-service instances may share this database. A run being executed is owned by one
-- instance (run.owner, already there) and leased until lease_until; the owner renews the lease while
-- the run executes, and another instance recovers the run only after the lease expired.
alter table run add column lease_until timestamptz;
create index run_active_lease_idx on run (lease_until) where status in ('preparing', 'running');

-- The cron slot a scheduled trigger last fired for: every instance ticks the schedule, the first to
-- move this forward requests the run, the others see the slot taken.
alter table trigger_state add column last_scheduled timestamptz;
