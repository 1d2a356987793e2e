-- Which replica applies a plan, and until when it holds it: the replica renews the lease while it applies; another
-- replica fails the plan only once its lease has expired (the replica that held it is gone), and a replica that
-- restarts fails the plans it held itself at once.
ALTER TABLE curation_plan ADD COLUMN lease_owner TEXT;
ALTER TABLE curation_plan ADD COLUMN lease_until TIMESTAMPTZ;
