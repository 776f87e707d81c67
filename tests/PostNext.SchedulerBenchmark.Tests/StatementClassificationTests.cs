namespace PostNext.SchedulerBenchmark.Tests;

/// <summary>How the benchmark tells write statements from the rest, on statements the three schedulers really run.</summary>
public sealed class StatementClassificationTests
{
    private static readonly string[] WritingFunctions = ["orleans_grain_state_write", "orleans_membership_update"];

    [Theory]
    [InlineData("SELECT orleans_grain_state_write($1, $2, $3) AS \"NewGrainStateVersion\"", StatementKind.Write)]
    [InlineData("WITH removed AS (DELETE FROM orleans_reminder WHERE service_id = $1 RETURNING $2) SELECT count(*) > $3", StatementKind.Write)]
    [InlineData("INSERT INTO orleans_reminder AS r (service_id) VALUES ($1) ON CONFLICT (service_id) DO UPDATE SET version = $2", StatementKind.Write)]
    [InlineData("UPDATE \"hangfire\".\"jobqueue\" SET \"fetchedat\" = NOW() WHERE \"id\" = (SELECT \"id\" FROM \"hangfire\".\"jobqueue\" FOR UPDATE SKIP LOCKED)", StatementKind.Write)]
    [InlineData("UPDATE QRTZ_TRIGGERS SET TRIGGER_STATE = $1 WHERE SCHED_NAME = $2", StatementKind.Write)]
    [InlineData("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", StatementKind.Write)]
    [InlineData("INSERT INTO postnext_sandbox_received (account_id) VALUES ($1)", StatementKind.JobRecord)]
    [InlineData("SELECT * FROM QRTZ_LOCKS WHERE SCHED_NAME = $1 AND LOCK_NAME = $2 FOR UPDATE", StatementKind.Lock)]
    [InlineData("SELECT pg_advisory_xact_lock($1)", StatementKind.Lock)]
    [InlineData("DISCARD ALL", StatementKind.Discard)]
    [InlineData("BEGIN", StatementKind.Transaction)]
    [InlineData("SELECT payload FROM orleans_grain_state WHERE service_id = $1", StatementKind.Other)]
    [InlineData("SELECT orleans_next_version($1)", StatementKind.Other)]
    public void Statements_are_classified_by_what_they_do(string query, StatementKind expected) =>
        Assert.Equal(expected, StatementCounter.Classify(query, "postnext_sandbox_received", WritingFunctions));

    [Fact]
    public void Only_calls_made_between_the_snapshots_count()
    {
        var before = new Dictionary<string, long> { ["UPDATE a SET b = $1"] = 10, ["SELECT 1"] = 5 };
        var after = new Dictionary<string, long> { ["UPDATE a SET b = $1"] = 13, ["SELECT 1"] = 9, ["DELETE FROM a"] = 2, ["INSERT INTO bench_job_runs (job_key) VALUES ($1)"] = 4 };

        var counts = StatementCounter.Difference(before, after, "bench_job_runs", []);

        Assert.Equal(5, counts.Writes);
        Assert.Equal(4, counts.JobRecords);
        Assert.Equal(4, counts.Other);
        Assert.Equal(["UPDATE a SET b = $1", "DELETE FROM a"], counts.TopWrites.Select(w => w.Query));
    }
}
