-- Statuses are Java enums stored by name, upper case like every other service's: convert the rows and checks.
ALTER TABLE augment_job DROP CONSTRAINT augment_job_status_check;
DROP INDEX augment_job_open;
UPDATE augment_job SET status = CASE status WHEN 'done' THEN 'COMPLETED' ELSE upper(status) END;
ALTER TABLE augment_job ADD CONSTRAINT augment_job_status_check
    CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'));
CREATE INDEX augment_job_open ON augment_job (status) WHERE status IN ('QUEUED', 'RUNNING');

ALTER TABLE augment_unit DROP CONSTRAINT augment_unit_status_check;
UPDATE augment_unit SET status = upper(status);
ALTER TABLE augment_unit ADD CONSTRAINT augment_unit_status_check CHECK (status IN ('PENDING', 'DONE', 'FAILED'));
