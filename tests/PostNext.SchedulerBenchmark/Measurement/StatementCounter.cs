using System.Text.RegularExpressions;

namespace PostNext.SchedulerBenchmark.Measurement;

/// <summary>What one top-level statement does, as far as counting writes goes.</summary>
public enum StatementKind
{
    /// <summary>INSERT, UPDATE, DELETE or MERGE (also inside a CTE), or a call of a function of the database that writes.</summary>
    Write,

    /// <summary>The job body's own record (the sandbox receipt, the benchmark's run row): not counted as the scheduler's.</summary>
    JobRecord,

    /// <summary>A row or advisory lock taken without writing (SELECT … FOR UPDATE, pg_advisory_lock).</summary>
    Lock,

    /// <summary>DISCARD ALL: a pooled connection reset (one round trip).</summary>
    Discard,

    /// <summary>BEGIN, COMMIT, ROLLBACK, SAVEPOINT.</summary>
    Transaction,

    /// <summary>Everything else: reads, SET, DDL.</summary>
    Other,
}

/// <summary>How many statements of each kind ran in a window, with the busiest writes.</summary>
public sealed record StatementCounts(
    long Writes, long JobRecords, long Locks, long DiscardAll, long Transactions, long Other, IReadOnlyList<StatementCalls> TopWrites)
{
    public static StatementCounts None { get; } = new(0, 0, 0, 0, 0, 0, []);
}

/// <summary>One normalized statement (as pg_stat_statements shows it) and how often it ran.</summary>
public sealed record StatementCalls(long Calls, StatementKind Kind, string Query);

/// <summary>One normalized statement and the server time its calls took in a window (every kind, reads included).</summary>
public sealed record StatementTime(double Milliseconds, long Calls, string Query);

/// <summary>
/// Counts statements with PostgreSQL's own counters: pg_stat_statements (track = top, so a function call counts once
/// and statements inside it do not), per database, as the difference of two snapshots.
/// </summary>
public static partial class StatementCounter
{
    /// <summary>Calls per normalized statement text of one database, now.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> SnapshotAsync(string adminConnectionString, string database)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT s.query, sum(s.calls)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 GROUP BY s.query",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            calls[reader.GetString(0)] = reader.GetInt64(1);
        }

        return calls;
    }

    /// <summary>Execution time and calls per normalized statement text of one database, now.</summary>
    public static async Task<IReadOnlyDictionary<string, (double Milliseconds, long Calls)>> TimesAsync(string adminConnectionString, string database)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT s.query, sum(s.total_exec_time)::float8, sum(s.calls)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 GROUP BY s.query",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        var times = new Dictionary<string, (double, long)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            times[reader.GetString(0)] = (reader.GetDouble(1), reader.GetInt64(2));
        }

        return times;
    }

    /// <summary>The statements that took the most server time between two snapshots.</summary>
    public static IReadOnlyList<StatementTime> Busiest(
        IReadOnlyDictionary<string, (double Milliseconds, long Calls)> before, IReadOnlyDictionary<string, (double Milliseconds, long Calls)> after, int top) =>
        [.. after
            .Select(s => new StatementTime(
                Math.Round(s.Value.Milliseconds - before.GetValueOrDefault(s.Key).Milliseconds, 1), s.Value.Calls - before.GetValueOrDefault(s.Key).Calls, s.Key))
            .Where(s => s.Calls > 0)
            .OrderByDescending(s => s.Milliseconds)
            .Take(top)];

    /// <summary>
    /// Functions of the database (outside the system schemas) whose body inserts, updates or deletes: a top-level
    /// <c>SELECT f(…)</c> of one of them is a write statement (the Orleans ADO.NET providers write through such
    /// functions: orleans_grain_state_write, orleans_membership_update, …).
    /// </summary>
    public static async Task<IReadOnlyList<string>> WritingFunctionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT DISTINCT p.proname FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
              AND p.prosrc ~* '\m(insert|update|delete|merge)\M'
            ORDER BY 1
            """,
            connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>The statements run between two snapshots, classified.</summary>
    public static StatementCounts Difference(
        IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after, string jobRecordTable, IReadOnlyList<string> writingFunctions)
    {
        var ran = after
            .Select(s => new StatementCalls(s.Value - before.GetValueOrDefault(s.Key), Classify(s.Key, jobRecordTable, writingFunctions), s.Key))
            .Where(s => s.Calls > 0)
            .ToList();
        long Sum(StatementKind kind) => ran.Where(s => s.Kind == kind).Sum(s => s.Calls);
        return new StatementCounts(
            Sum(StatementKind.Write), Sum(StatementKind.JobRecord), Sum(StatementKind.Lock), Sum(StatementKind.Discard),
            Sum(StatementKind.Transaction), Sum(StatementKind.Other),
            [.. ran.Where(s => s.Kind == StatementKind.Write).OrderByDescending(s => s.Calls).Take(20)]);
    }

    public static StatementKind Classify(string query, string jobRecordTable, IReadOnlyList<string> writingFunctions)
    {
        var text = Comments().Replace(query, " ").Trim();
        if (Regex.IsMatch(text, $@"^INSERT\s+INTO\s+(""?\w+""?\.)?""?{Regex.Escape(jobRecordTable)}""?\b", RegexOptions.IgnoreCase))
        {
            return StatementKind.JobRecord;
        }

        if (Discard().IsMatch(text))
        {
            return StatementKind.Discard;
        }

        if (TransactionControl().IsMatch(text))
        {
            return StatementKind.Transaction;
        }

        if (DataChange().IsMatch(text) ||
            (writingFunctions.Count > 0 && Regex.IsMatch(text, $@"\b({string.Join('|', writingFunctions.Select(Regex.Escape))})\s*\(", RegexOptions.IgnoreCase)))
        {
            return StatementKind.Write;
        }

        return Locking().IsMatch(text) ? StatementKind.Lock : StatementKind.Other;
    }

    [GeneratedRegex(@"/\*.*?\*/|--[^\n]*", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"^DISCARD\b", RegexOptions.IgnoreCase)]
    private static partial Regex Discard();

    [GeneratedRegex(@"^(BEGIN|COMMIT|ROLLBACK|START\s+TRANSACTION|SAVEPOINT|RELEASE|END)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TransactionControl();

    /// <summary>INSERT INTO, DELETE FROM, MERGE INTO, or an UPDATE that is not the FOR UPDATE / FOR NO KEY UPDATE of a lock.</summary>
    [GeneratedRegex(@"\bINSERT\s+INTO\b|\bDELETE\s+FROM\b|\bMERGE\s+INTO\b|(?<!\b(FOR|KEY|DO)\s+)\bUPDATE\b", RegexOptions.IgnoreCase)]
    private static partial Regex DataChange();

    [GeneratedRegex(@"\bFOR\s+(NO\s+KEY\s+|KEY\s+)?(UPDATE|SHARE)\b|\bpg_(try_)?advisory_(xact_)?lock", RegexOptions.IgnoreCase)]
    private static partial Regex Locking();
}
