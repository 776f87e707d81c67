namespace PostNext.Chaos.Processes;

/// <summary>
/// Finds the built silo and front (bin/&lt;configuration&gt;/net10.0 of the repository this suite belongs to) and
/// copies them into the run directory, so a rebuild during a long run cannot swap a silo's files between restarts.
/// </summary>
public static class Binaries
{
    public const string SolutionFile = "PostNext.Orleans.sln";

    /// <summary>The repository root: the nearest directory above this assembly holding the solution file.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"{SolutionFile} was not found above {AppContext.BaseDirectory}; run the suite from the repository.");
    }

    /// <summary>Copies both hosts into <paramref name="runDirectory"/>/bin and returns the paths of their main assemblies.</summary>
    public static (string Silo, string Front) Prepare(string configuration, string runDirectory, RunLog log)
    {
        var root = RepositoryRoot();
        string Copy(string project)
        {
            var built = Path.Combine(root, "src", project, "bin", configuration, "net10.0");
            if (!File.Exists(Path.Combine(built, project + ".dll")))
            {
                throw new InvalidOperationException(
                    $"{project}.dll ({configuration}) is not built in {built}: run 'dotnet build -c {configuration} {SolutionFile}' first.");
            }

            var target = Path.Combine(runDirectory, "bin", project);
            CopyDirectory(built, target);
            return Path.Combine(target, project + ".dll");
        }

        var silo = Copy("PostNext.Silo");
        var front = Copy("PostNext.Front");
        log.Line($"{configuration} build of the silo and the front copied from {root} to {Path.Combine(runDirectory, "bin")}");
        return (silo, front);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
