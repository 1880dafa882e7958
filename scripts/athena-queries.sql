-- Example queries over the tables of scripts/athena-tables.sql. Each names the run it reads
-- (run_id is an injected partition: Athena needs its value in the query). The newest complete
-- run is the one latest.json names:
--   RUN_ID=$(aws s3 cp s3://my-results/trailtrim/latest.json - | jq -r .runId)
-- Fill the placeholders (ATHENA_DATABASE and RUN_ID) with scripts/fill-placeholders.sh and run one
-- statement at a time, as the README's section "Querying the reports with Athena" shows.

-- 1. The latest run's unused high-risk permissions, per role, riskiest first: what to remove first.
SELECT account_id, role_name, risk, action, resource, policy, statement_sid, rule, risk_reason
FROM "${ATHENA_DATABASE}"."trailtrim_permissions"
WHERE run_id = '${RUN_ID}'
  AND status = 'unused'
  AND risk IN ('privilege-escalation', 'permissions-management', 'write')
ORDER BY account_id, role_name,
  CASE risk WHEN 'privilege-escalation' THEN 1 WHEN 'permissions-management' THEN 2 ELSE 3 END,
  action, resource;

-- 2. The roles with the most unused permissions, and how far their suggested policy shrinks.
SELECT account_id, role_name, granted_actions, suggested_actions, unused_actions, highest_risk,
  not_observable, denied_calls, suggested_layout, missing_from_snapshot, safety_rules
FROM "${ATHENA_DATABASE}"."trailtrim_roles"
WHERE run_id = '${RUN_ID}'
ORDER BY unused_actions DESC, account_id, role_name
LIMIT 50;

-- 3. Calls IAM refused in the last 7 days of the window, newest first.
SELECT account_id, role_name, action, resource, error_code, calls, first_seen, last_seen
FROM "${ATHENA_DATABASE}"."trailtrim_permissions"
WHERE run_id = '${RUN_ID}'
  AND status = 'denied'
  AND last_seen >= (SELECT max(last_seen) FROM "${ATHENA_DATABASE}"."trailtrim_permissions"
                    WHERE run_id = '${RUN_ID}') - INTERVAL '7' DAY
ORDER BY last_seen DESC, account_id, role_name;

-- 4. Granted permissions whose use CloudTrail cannot show, by rule: which data events to log.
SELECT service, rule, count(*) AS permissions, count(DISTINCT role_arn) AS roles
FROM "${ATHENA_DATABASE}"."trailtrim_permissions"
WHERE run_id = '${RUN_ID}'
  AND status = 'not_observable'
GROUP BY service, rule
ORDER BY permissions DESC, service, rule;

-- 5. What changed since the previous night: new grants, new denials and spikes first.
SELECT account_id, role_name, change, action, resource, previous_count, count, detail, previous_run_id
FROM "${ATHENA_DATABASE}"."trailtrim_changes"
WHERE run_id = '${RUN_ID}'
ORDER BY change, account_id, role_name, action;
