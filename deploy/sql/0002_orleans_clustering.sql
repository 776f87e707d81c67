-- 0002_orleans_clustering.sql
-- Cluster membership tables and queries for Microsoft.Orleans.Clustering.AdoNet 10.4.2
-- (silo membership table + client gateway list). Written by us to the provider query
-- contract (parameter names, result columns and boolean return conventions of
-- RelationalOrleansQueries / DbStoredQueries in the clustering package); not derived from
-- the upstream scripts. DeploymentId in the contract is the Orleans ClusterId.
--
-- Contract highlights:
--  * One version row per cluster. Every membership read returns the table version in a
--    "Version" column on every row (LEFT JOIN, so a cluster with no silos still yields one
--    row whose StartTime is NULL).
--  * Insert/Update receive @Version = the table version etag the caller read. They must
--    succeed only if the stored version still equals it, bump it by one, and return one row
--    with one boolean column. A failed check changes nothing (returns false).
--  * Heartbeats (UpdateIAmAlivetimeKey) never touch the version.
--  * Status values are Orleans SiloStatus: 3 = Active, 6 = Dead.

CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id text        NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_membership_version_pk PRIMARY KEY (deployment_id)
);

CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   text        NOT NULL,
    address         text        NOT NULL,   -- IPAddress.ToString(); read back with IPAddress.Parse
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,   -- SiloStatus
    proxy_port      integer     NOT NULL DEFAULT 0,
    suspect_times   text        NULL,       -- 'silo,date|silo,date' as serialised by Orleans
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    CONSTRAINT orleans_membership_pk PRIMARY KEY (deployment_id, address, port, generation),
    CONSTRAINT orleans_membership_version_fk FOREIGN KEY (deployment_id)
        REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE
);

-- Conditional insert of a silo row. Locks the cluster's version row, so concurrent writers
-- are serialised; returns false (and changes nothing) when the version moved on or the row
-- already exists.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_silo_name       text,
    p_host_name       text,
    p_status          integer,
    p_proxy_port      integer,
    p_start_time      timestamptz,
    p_i_am_alive_time timestamptz,
    p_expected_version integer)
    RETURNS boolean
    LANGUAGE plpgsql
AS $$
DECLARE
    v_current integer;
BEGIN
    SELECT version INTO v_current
    FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id
    FOR UPDATE;

    IF NOT FOUND OR v_current IS DISTINCT FROM p_expected_version THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name, status,
         proxy_port, suspect_times, start_time, i_am_alive_time)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, coalesce(p_silo_name, ''),
         coalesce(p_host_name, ''), p_status, coalesce(p_proxy_port, 0), NULL,
         p_start_time, p_i_am_alive_time)
    ON CONFLICT (deployment_id, address, port, generation) DO NOTHING;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version
    SET version = version + 1, changed_at = now()
    WHERE deployment_id = p_deployment_id;

    RETURN true;
END;
$$;

-- Conditional update of a silo row (status, suspicions, heartbeat). Same locking and
-- all-or-nothing rule as the insert: the version is bumped only if the row was updated.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_status          integer,
    p_suspect_times   text,
    p_i_am_alive_time timestamptz,
    p_expected_version integer)
    RETURNS boolean
    LANGUAGE plpgsql
AS $$
DECLARE
    v_current integer;
BEGIN
    SELECT version INTO v_current
    FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id
    FOR UPDATE;

    IF NOT FOUND OR v_current IS DISTINCT FROM p_expected_version THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership
    SET status = p_status,
        suspect_times = p_suspect_times,
        i_am_alive_time = p_i_am_alive_time
    WHERE deployment_id = p_deployment_id
      AND address = p_address
      AND port = p_port
      AND generation = p_generation;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version
    SET version = version + 1, changed_at = now()
    WHERE deployment_id = p_deployment_id;

    RETURN true;
END;
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
-- Creates the cluster's version row if missing. Params: DeploymentId.
-- Returns one row, one boolean column: true if this call created it. Two silos racing: the
-- loser waits on the primary key and gets false.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id, version, changed_at)
    VALUES (@DeploymentId, 0, now())
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT count(*) > 0 AS "Inserted" FROM created;
$q$),

-- Params: DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
-- StartTime, IAmAliveTime, Version. Returns one boolean.
('InsertMembershipKey', $q$
SELECT orleans_membership_insert(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
    @StartTime, @IAmAliveTime, @Version) AS "Inserted";
$q$),

-- Params: DeploymentId, Address, Port, Generation, Status, SuspectTimes, IAmAliveTime,
-- Version. Returns one boolean.
('UpdateMembershipKey', $q$
SELECT orleans_membership_update(
    @DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime,
    @Version) AS "Updated";
$q$),

-- Heartbeat. Params: DeploymentId, Address, Port, Generation, IAmAliveTime. No result.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation;
$q$),

-- Params: DeploymentId, Address, Port, Generation. One row per match plus the version;
-- exactly one row (StartTime NULL) when the silo is unknown; no row if the cluster has no
-- version row.
('MembershipReadRowKey', $q$
SELECT v.version         AS "Version",
       m.address         AS "Address",
       m.port            AS "Port",
       m.generation      AS "Generation",
       m.silo_name       AS "SiloName",
       m.host_name       AS "HostName",
       m.status          AS "Status",
       m.proxy_port      AS "ProxyPort",
       m.suspect_times   AS "SuspectTimes",
       m.start_time      AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId;
$q$),

-- Params: DeploymentId. Same columns as MembershipReadRowKey, one row per silo.
('MembershipReadAllKey', $q$
SELECT v.version         AS "Version",
       m.address         AS "Address",
       m.port            AS "Port",
       m.generation      AS "Generation",
       m.silo_name       AS "SiloName",
       m.host_name       AS "HostName",
       m.status          AS "Status",
       m.proxy_port      AS "ProxyPort",
       m.suspect_times   AS "SuspectTimes",
       m.start_time      AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
ORDER BY m.address, m.port, m.generation;
$q$),

-- Client gateway list. Params: DeploymentId, Status (= 3, Active).
-- Columns: Address, ProxyPort, Generation.
('GatewaysQueryKey', $q$
SELECT address    AS "Address",
       proxy_port AS "ProxyPort",
       generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status = @Status
  AND proxy_port > 0;
$q$),

-- Removes a whole cluster (rows and version). Params: DeploymentId. No result.
('DeleteMembershipTableEntriesKey', $q$
WITH silos AS (
    DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId
)
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId;
$q$),

-- Bulk cleanup of Dead silos not heard from since the cut-off (used by providers when the
-- optional CleanupDefunctSiloEntryKey is absent). Params: DeploymentId, IAmAliveTime
-- (the cut-off). No result. The version is left alone: removing Dead rows changes no
-- live silo's view.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND status = 6
  AND i_am_alive_time < @IAmAliveTime
  AND start_time < @IAmAliveTime;
$q$),

-- Optional in 10.4.x (DbStoredQueries.GetCleanupDefunctSiloEntryQuery). When present the
-- provider reads all rows, picks Dead rows older than the cut-off itself, and deletes each
-- one only if it is still exactly as captured. Params: DeploymentId, Address, Port,
-- Generation, SuspectTimes (NULL when none), StartTime, IAmAliveTime. No result.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '');
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
