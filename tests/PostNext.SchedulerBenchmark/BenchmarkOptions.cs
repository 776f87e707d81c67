using System.Globalization;

namespace PostNext.SchedulerBenchmark;

/// <summary>The benchmark's settings, from its command line (see <see cref="Usage"/>).</summary>
public sealed record BenchmarkOptions
{
    public const string PostNext = "postnext";
    public const string Quartz = "quartz";
    public const string Hangfire = "hangfire";

    public static readonly IReadOnlyList<string> AllSchedulers = [PostNext, Quartz, Hangfire];

    /// <summary>The build configuration of this assembly (and of the chaos suite it reuses): the silo it runs is the same build.</summary>
    public const string BuildConfiguration = ChaosOptions.BuildConfiguration;

    public const string Usage =
        """
        PostNext.SchedulerBenchmark: N jobs due at one instant through PostNext, Quartz.NET and Hangfire on one throwaway PostgreSQL.

          dotnet run -c Release --project tests/PostNext.SchedulerBenchmark -- [options]

          --jobs N               jobs due at the one instant, per scheduler (default 10000)
          --schedulers LIST      comma-separated: postnext,quartz,hangfire (default all three)
          --concurrency N        parallel registrations: API requests for PostNext, scheduling calls for the others (default 32)
          --lead SECONDS         time from the start of registration to the due instant (default 30 + jobs/60: PostNext takes ~75 posts/s today)
          --timeout SECONDS      how long after the due instant to wait for every job (default 300 + jobs/15)
          --intake-posts N       PostNext only: API intake on the warm silo after the instant, N posts into one workspace and N across
                                 --workspaces workspaces (default 5000; 0: skip)
          --workspaces N         workspaces of the intake across workspaces (default 100)
          --silo-setting K=V     passed to the PostNext silo as --K=V (repeatable; reported; default none: shipped defaults)
          --results DIR          where results.json, the logs and the table go (default scheduler-benchmark-results/<UTC time>)
          --configuration NAME   build of the silo to run (default: this assembly's, Release under -c Release)
          --smoke                the small run CI does: 200 jobs, 200 intake posts in 10 workspaces, lead 12 s, timeout 90 s

          --million              the pending-posts mode instead (PostNext only): posts due over the next days, then memory,
                                 idle CPU, restart-to-ready and row counts
          --posts N              million mode: posts to create (default 1000000)
          --days N               million mode: due times spread over the next N days, the first an hour away (default 30)
          --idle-seconds N       million mode: idle CPU measured over this long (default 60)

          --calendar-render      the calendar mode instead (PostNext only): N posts due across next month in one workspace,
                                 then the server-side render time of /app/calendar's month view for a signed-in person
          --publications N       calendar mode: publications in the month (default 2000)
          --renders N            calendar mode: timed renders after 3 warm-up ones (default 20)
          --cluster              calendar mode: the silo in cluster mode on a throwaway PostgreSQL (default: embedded)
        """;

    public IReadOnlyList<string> Schedulers { get; init; } = AllSchedulers;

    public int Jobs { get; init; } = 10_000;

    public int Concurrency { get; init; } = 32;

    public TimeSpan? Lead { get; init; }

    public TimeSpan? Timeout { get; init; }

    public int IntakePosts { get; init; } = 5_000;

    public int IntakeWorkspaces { get; init; } = 100;

    public IReadOnlyList<string> SiloSettings { get; init; } = [];

    public string? ResultsDirectory { get; init; }

    public string Configuration { get; init; } = BuildConfiguration;

    public bool Smoke { get; init; }

    public bool Million { get; init; }

    public int MillionPosts { get; init; } = 1_000_000;

    public int MillionDays { get; init; } = 30;

    public TimeSpan IdleWindow { get; init; } = TimeSpan.FromSeconds(60);

    public bool CalendarRender { get; init; }

    public int CalendarPublications { get; init; } = 2_000;

    public int CalendarRenders { get; init; } = 20;

    public bool CalendarCluster { get; init; }

    /// <summary>After the last job ran, how long trailing writes (the outcome after the receipt) are still counted.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan EffectiveLead => Lead ?? TimeSpan.FromSeconds(30 + Jobs / 60.0);

    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromSeconds(300 + Jobs / 15.0);

    /// <summary>Creates and returns where this run's results go (--results, else scheduler-benchmark-results/&lt;UTC time&gt; in the repository).</summary>
    public string CreateResultsDirectory()
    {
        var directory = ResultsDirectory ?? Path.Combine(
            Binaries.RepositoryRoot(), "scheduler-benchmark-results",
            DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + (Million ? "-million" : CalendarRender ? "-calendar" : ""));
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>The small run of the smoke test: a few hundred jobs per scheduler, well under two minutes each.</summary>
    public static BenchmarkOptions SmokeRun() => new()
    {
        Smoke = true,
        Jobs = 200,
        IntakePosts = 200,
        IntakeWorkspaces = 10,
        Lead = TimeSpan.FromSeconds(12),
        Timeout = TimeSpan.FromSeconds(90),
        Settle = TimeSpan.FromSeconds(2),
    };

    public static BenchmarkOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var options = args.Contains("--smoke") ? SmokeRun() : new BenchmarkOptions();
        var siloSettings = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--smoke" or "--million" or "--calendar-render" or "--cluster")
            {
                options = name switch
                {
                    "--million" => options with { Million = true },
                    "--calendar-render" => options with { CalendarRender = true },
                    "--cluster" => options with { CalendarCluster = true },
                    _ => options,
                };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value.";
                return null;
            }

            var value = args[++i];
            int Int() => int.Parse(value, CultureInfo.InvariantCulture);
            TimeSpan Seconds() => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
            try
            {
                options = name switch
                {
                    "--jobs" => options with { Jobs = Int() },
                    "--schedulers" => options with { Schedulers = ParseSchedulers(value) },
                    "--concurrency" => options with { Concurrency = Int() },
                    "--lead" => options with { Lead = Seconds() },
                    "--timeout" => options with { Timeout = Seconds() },
                    "--intake-posts" => options with { IntakePosts = Int() },
                    "--workspaces" => options with { IntakeWorkspaces = Int() },
                    "--results" => options with { ResultsDirectory = value },
                    "--configuration" => options with { Configuration = value },
                    "--posts" => options with { MillionPosts = Int() },
                    "--days" => options with { MillionDays = Int() },
                    "--idle-seconds" => options with { IdleWindow = Seconds() },
                    "--publications" => options with { CalendarPublications = Positive(Int()) },
                    "--renders" => options with { CalendarRenders = Positive(Int()) },
                    "--silo-setting" => options,
                    _ => throw new ArgumentException($"Unknown option {name}."),
                };
                if (name == "--silo-setting")
                {
                    siloSettings.Add(value.Contains('=', StringComparison.Ordinal) ? "--" + value.TrimStart('-') : throw new ArgumentException("--silo-setting takes Key=Value."));
                }
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                error = $"{name} {value}: {ex.Message}";
                return null;
            }
        }

        return options with { SiloSettings = siloSettings };
    }

    private static int Positive(int value) => value > 0 ? value : throw new ArgumentException("must be at least 1");

    private static List<string> ParseSchedulers(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).ToList();
        return names.FirstOrDefault(n => !AllSchedulers.Contains(n)) is { } unknown
            ? throw new ArgumentException($"unknown scheduler '{unknown}' (postnext, quartz, hangfire)")
            : names;
    }
}
