namespace PostNext.Hosting.Tests.Deploy;

/// <summary>Files of this repository, found from the test's output directory.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PostNext.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No PostNext.Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
