-- An evaluation can be cancelled at the trainer service while queued or running (EvaluationStatus.CANCELLED).
ALTER TABLE evaluation DROP CONSTRAINT evaluation_status_check;
ALTER TABLE evaluation ADD CONSTRAINT evaluation_status_check
    CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'));
