namespace OrdersTracing.Tests.AppModel;

/// <summary>
/// Empty files named like the programs, first on PATH while the AppHost is built: local mode then declares Jaeger and
/// the Collector. The AppHost is never started, so nothing runs them. Test collections run one at a time.
/// </summary>
internal sealed class FakeProgramsOnPath : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("orders-fake-programs-").FullName;
    private readonly string? path = Environment.GetEnvironmentVariable("PATH");

    public static FakeProgramsOnPath Create(params string[] programs)
    {
        var fake = new FakeProgramsOnPath();
        foreach (var program in programs)
        {
            File.WriteAllText(Path.Combine(fake.folder, program), "");
        }

        Environment.SetEnvironmentVariable("PATH", fake.folder + Path.PathSeparator + fake.path);
        return fake;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("PATH", path);
        Directory.Delete(folder, recursive: true);
    }
}
