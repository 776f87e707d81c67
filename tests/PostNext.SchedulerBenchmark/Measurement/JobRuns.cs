namespace PostNext.SchedulerBenchmark.Measurement;

/// <summary>
/// Where a scheduler's job bodies record that they ran: <paramref name="Sql"/> returns one row (key text, ran_at
/// timestamptz) per run, duplicates included. <paramref name="Table"/> is the table those rows are inserted into
/// (its INSERTs are the job body's, not the scheduler's, when writes are counted).
/// </summary>
public sealed record RunSource(string ConnectionString, string Table, string Sql, params object[] Parameters)
{
    /// <summary>How many distinct jobs ran so far.</summary>
    public async Task<int> CountDistinctAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = Command($"SELECT count(DISTINCT r.key)::int FROM ({Sql}) AS r(key, ran_at)", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Per job key: its first run and how many times it ran.</summary>
    public async Task<IReadOnlyDictionary<string, (DateTimeOffset First, int Count)>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = Command($"SELECT r.key, min(r.ran_at), count(*)::int FROM ({Sql}) AS r(key, ran_at) GROUP BY r.key", connection);
        var runs = new Dictionary<string, (DateTimeOffset, int)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs[reader.GetString(0)] = (reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2));
        }

        return runs;
    }

    private NpgsqlCommand Command(string sql, NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in Parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}

/// <summary>Lateness (first run − due time) of the jobs that ran, lost and duplicated jobs, and the drain rate.</summary>
public sealed record LatenessSummary(
    int Expected, int Ran, int Lost, int Duplicated, int ExtraRuns,
    double? P50Seconds, double? P99Seconds, double? MaxSeconds,
    DateTimeOffset? FirstRun, DateTimeOffset? LastRun, double? DrainPerSecond)
{
    public static LatenessSummary Of(IReadOnlyCollection<string> expected, DateTimeOffset due, IReadOnlyDictionary<string, (DateTimeOffset First, int Count)> runs)
    {
        var expectedKeys = expected.ToHashSet(StringComparer.Ordinal);
        var ran = expected.Where(runs.ContainsKey).Select(k => runs[k]).ToList();
        var lateness = ran.Select(r => (r.First - due).TotalSeconds).Order().ToArray();
        var first = ran.Count > 0 ? ran.Min(r => r.First) : (DateTimeOffset?)null;
        var last = ran.Count > 0 ? ran.Max(r => r.First) : (DateTimeOffset?)null;
        var span = last - first;
        return new LatenessSummary(
            expected.Count,
            ran.Count,
            expected.Count - ran.Count,
            ran.Count(r => r.Count > 1),
            ran.Sum(r => r.Count - 1) + runs.Where(r => !expectedKeys.Contains(r.Key)).Sum(r => r.Value.Count),
            Percentile(lateness, 0.50),
            Percentile(lateness, 0.99),
            lateness.Length > 0 ? lateness[^1] : null,
            first,
            last,
            span is { TotalSeconds: > 0 } s ? ran.Count / s.TotalSeconds : null);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
