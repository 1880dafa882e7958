-- Athena (and Glue Data Catalog) tables over the Parquet reports of every trailtrim run:
--   s3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/<run-id>/tables/{roles,permissions,unmapped,coverage,changes}/part-00000.snappy.parquet
--
-- Fill the placeholders and drop these comment lines, then run each statement on its own (the
-- README's section "Querying the reports with Athena" has the commands):
--   ATHENA_DATABASE=trailtrim OUTPUT_BUCKET=my-results OUTPUT_PREFIX=trailtrim \
--     scripts/fill-placeholders.sh scripts/athena-tables.sql | grep -v '^--' > trailtrim-tables.sql
--
-- One table per report over all runs: run_id is a partition column of partition projection's
-- injected type, so no partitions are ever added or repaired. Athena reads only the runs a query
-- names, and every query must name them with run_id = '...' (or run_id IN (...)). ${run_id} in
-- storage.location.template is Athena's, not a placeholder to fill. latest.json names the newest
-- complete run, runs without _SUCCESS are incomplete, and retention (runs.keep) deletes old runs.
--
-- Times are timestamp (UTC instants, Parquet INT96 as Spark writes them by default, which every
-- Athena engine version reads) so that date functions and intervals work on them directly.
-- Columns must stay as dev.trailtrim.report.ReportTables defines them: a test compares this file
-- with the Parquet files a run writes.

CREATE EXTERNAL TABLE IF NOT EXISTS `${ATHENA_DATABASE}`.`trailtrim_roles` (
  `account_id` string COMMENT 'the account of the role',
  `role_name` string COMMENT 'the role name, without its path',
  `role_arn` string COMMENT 'the role ARN, with its path',
  `lambda_evidence` string COMMENT 'why trailtrim treats the role as a Lambda execution role',
  `missing_from_snapshot` boolean COMMENT 'true when the role is not in the IAM snapshot: grants unknown, nothing suggested',
  `skipped_by_config` boolean COMMENT 'true when skip.roles matched the role: nothing suggested',
  `safety_rules` string COMMENT 'safety controls that made the role keep everything, comma-separated, or null',
  `role_create_date` timestamp COMMENT 'the role CreateDate from the snapshot (UTC)',
  `window_from` date COMMENT 'first day of the observation window (UTC)',
  `window_to` date COMMENT 'last day of the observation window (UTC)',
  `window_days` bigint COMMENT 'days in the window',
  `granted_policies` bigint COMMENT 'identity policies attached to the role',
  `permissions_boundary` string COMMENT 'the permissions boundary label, or null',
  `granted_actions` bigint COMMENT 'distinct actions the Allow statements grant, wildcards expanded',
  `used_actions` bigint COMMENT 'actions used successfully in the window',
  `used_resources` bigint COMMENT '(action, resource) pairs used successfully',
  `used_calls` bigint COMMENT 'successful calls in the window',
  `unused` bigint COMMENT 'unused granted (action, resource) permissions the suggestion removes',
  `unused_actions` bigint COMMENT 'distinct actions among them',
  `highest_risk` string COMMENT 'the highest risk among them (privilege-escalation, permissions-management, write, tagging, read, list, unknown), or null',
  `not_observable` bigint COMMENT 'granted permissions CloudTrail cannot show the use of (kept)',
  `kept_by_safety` bigint COMMENT 'unused permissions a safety control keeps',
  `denied` bigint COMMENT 'distinct (action, resource, error) calls IAM refused',
  `denied_calls` bigint COMMENT 'calls IAM refused',
  `failed` bigint COMMENT 'distinct calls that failed for other reasons',
  `not_granted_but_used` bigint COMMENT 'successful calls the known grants do not explain',
  `problems` bigint COMMENT 'problems noted in the role report',
  `suggested_actions` bigint COMMENT 'distinct actions the suggested policy allows, or null without a suggestion',
  `suggested_statements` bigint COMMENT 'statements of the suggested policy',
  `suggested_size` bigint COMMENT 'its size without whitespace, as IAM counts it',
  `suggested_size_limit` bigint COMMENT 'the inline role policy limit it is measured against',
  `suggested_within_limit` boolean COMMENT 'whether it fits as one inline policy',
  `suggested_generalised_to_fit` boolean COMMENT 'whether resources were widened to the granted patterns to fit',
  `suggested_layout` string COMMENT 'inline or managed-policies',
  `suggested_files` bigint COMMENT 'policy documents written under policies/',
  `report_file` string COMMENT 'the role report, relative to the run folder'
)
COMMENT 'One row per Lambda execution role and run: counts and the suggested policy size'
PARTITIONED BY (`run_id` string COMMENT 'the run, as runs/<run-id>/ and latest.json name it')
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.run_id.type' = 'injected',
  'storage.location.template' = 's3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/${run_id}/tables/roles/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS `${ATHENA_DATABASE}`.`trailtrim_permissions` (
  `account_id` string COMMENT 'the account of the role',
  `role_name` string COMMENT 'the role name, without its path',
  `role_arn` string COMMENT 'the role ARN, with its path',
  `status` string COMMENT 'used, unused, not_observable, kept_by_safety, denied or failed',
  `service` string COMMENT 'the service prefix of the action, e.g. s3',
  `action` string COMMENT 'the IAM action, e.g. s3:GetObject (service:* for a NotAction statement reported per service)',
  `resource` string COMMENT 'the resource ARN used or called, or the granted resource pattern',
  `access_level` string COMMENT 'the IAM access level of the action (List, Read, Write, Tagging, Permissions management), or null',
  `risk` string COMMENT 'unused only: privilege-escalation, permissions-management, write, tagging, read, list, unknown or not-effective',
  `risk_reason` string COMMENT 'unused only: why that risk',
  `rule` string COMMENT 'the rule that decided the status, e.g. management-event-never-seen, allowed-by-grant, authorization-refused',
  `detail` string COMMENT 'why, in a sentence: the reason a use is not observable, the setting that kept it, why a use is unexplained',
  `granted_by` string COMMENT 'the statement that grants (or for used, allows) it, e.g. inline:orders-db#1 (Sid OrdersTable)',
  `policy` string COMMENT 'the granting policy: inline:<name> or managed:<arn>',
  `statement_sid` string COMMENT 'the Sid of the granting statement, or null',
  `error_code` string COMMENT 'denied and failed only: the CloudTrail errorCode',
  `calls` bigint COMMENT 'used, denied and failed: calls in the window',
  `first_seen` timestamp COMMENT 'used, denied and failed: the first call (UTC)',
  `last_seen` timestamp COMMENT 'used, denied and failed: the last call (UTC)'
)
COMMENT 'One row per role, action, resource and status: used, unused, not_observable, kept_by_safety, denied, failed'
PARTITIONED BY (`run_id` string COMMENT 'the run, as runs/<run-id>/ and latest.json name it')
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.run_id.type' = 'injected',
  'storage.location.template' = 's3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/${run_id}/tables/permissions/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS `${ATHENA_DATABASE}`.`trailtrim_unmapped` (
  `event_source` string COMMENT 'the CloudTrail eventSource, e.g. s3.amazonaws.com',
  `event_name` string COMMENT 'the CloudTrail eventName',
  `records` bigint COMMENT 'records of role sessions with this call that trailtrim could not translate to IAM actions'
)
COMMENT 'CloudTrail calls of role sessions that trailtrim could not translate, per run'
PARTITIONED BY (`run_id` string COMMENT 'the run, as runs/<run-id>/ and latest.json name it')
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.run_id.type' = 'injected',
  'storage.location.template' = 's3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/${run_id}/tables/unmapped/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS `${ATHENA_DATABASE}`.`trailtrim_coverage` (
  `account_id` string COMMENT 'the account whose logs these are',
  `region` string COMMENT 'the region whose logs these are',
  `day` date COMMENT 'a day of the window (UTC)',
  `files` bigint COMMENT 'log files CloudTrail delivered for this account, region and day',
  `records` bigint COMMENT 'records of files outside the CloudTrail layout that name this account, region and day',
  `rejected_files` bigint COMMENT 'files of this day that could not be read whole (see rejects/)',
  `logging_stopped` string COMMENT 'StopLogging or DeleteTrail calls the logs record for this day, null when none',
  `covered` boolean COMMENT 'logs delivered, none rejected, logging not stopped: absence of a call that day means something'
)
COMMENT 'What the logs of each run cover: one row per account, region and day of the window'
PARTITIONED BY (`run_id` string COMMENT 'the run, as runs/<run-id>/ and latest.json name it')
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.run_id.type' = 'injected',
  'storage.location.template' = 's3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/${run_id}/tables/coverage/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS `${ATHENA_DATABASE}`.`trailtrim_changes` (
  `account_id` string COMMENT 'the account of the role',
  `role_name` string COMMENT 'the name of the role',
  `role_arn` string COMMENT 'the ARN of the role',
  `change` string COMMENT 'role_added, role_removed, status_changed, newly_granted, newly_revoked, newly_used, newly_unused, newly_denied, denied_spike or suggestion_changed',
  `action` string COMMENT 'the action (newly_granted and newly_revoked: the Action pattern as the policy writes it), null for role and suggestion rows',
  `resource` string COMMENT 'newly_granted and newly_revoked: the Resource pattern as the policy writes it, else null',
  `previous_count` bigint COMMENT 'newly_denied and denied_spike: denied calls in the window of the previous run (0 when none)',
  `count` bigint COMMENT 'newly_denied and denied_spike: denied calls in the window of this run',
  `detail` string COMMENT 'newly_granted and newly_revoked: the policies granting it, status_changed: previous -> now, suggestion_changed: the actions added and removed',
  `previous_run_id` string COMMENT 'the run this one was compared with (latest.json when this run started)'
)
COMMENT 'What changed since the previous run (changes.json): one row per change, none on a first run'
PARTITIONED BY (`run_id` string COMMENT 'the run, as runs/<run-id>/ and latest.json name it')
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION 's3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.run_id.type' = 'injected',
  'storage.location.template' = 's3://${OUTPUT_BUCKET}/${OUTPUT_PREFIX}/runs/${run_id}/tables/changes/'
);
