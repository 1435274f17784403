using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OrdersTracing.Tests.Benchmarks;

/// <summary>
/// The benchmark's quick mode, as CI runs it: that <c>bench/run.sh</c> still runs every benchmark and writes every table
/// and plot. It checks that the benchmark works, not what it measured: timings belong to the full run.
/// </summary>
public sealed partial class BenchmarkSmokeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(6);

    private static string RepositoryRoot =>
        Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Projects.OrdersTracing_AppHost.ProjectPath))!;

    [Fact]
    public async Task The_quick_benchmark_writes_a_table_for_every_benchmark_and_its_plots()
    {
        var output = Directory.CreateTempSubdirectory("orderstracing-bench-smoke-");
        try
        {
            var (exitCode, log) = await RunAsync(Path.Combine(RepositoryRoot, "bench", "run.sh"), "--quick", "--output", output.FullName);

            Assert.True(exitCode == 0, $"bench/run.sh --quick ended with {exitCode}:\n{log}");
            var page = await File.ReadAllTextAsync(Path.Combine(output.FullName, "performance.md"), TestContext.Current.CancellationToken);
            foreach (var section in new[] { "## Targets", "## 1. Service overhead", "## 2. The database fixes", "## 3. The export path", "## 4. Microbenchmarks" })
            {
                Assert.True(TableRowsAfter(page, section) > 0, $"No table rows under \"{section}\" in:\n{page}");
            }

            Assert.DoesNotContain("NaN", page);
            foreach (var plot in new[] { "perf-latency-percentiles.png", "perf-cpu-per-request.png", "perf-index-listing.png", "perf-export-drops.png" })
            {
                var image = new FileInfo(Path.Combine(output.FullName, "images", plot));
                Assert.True(image.Exists && image.Length > 0, $"{plot} is missing or empty.");
                Assert.Contains($"(images/{plot})", page);
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>Data rows (not the header or its rule) of the tables between a heading and the next one.</summary>
    private static int TableRowsAfter(string page, string heading)
    {
        var start = page.IndexOf(heading, StringComparison.Ordinal);
        if (start < 0)
        {
            return 0;
        }

        var next = page.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        var section = page[start..(next < 0 ? page.Length : next)];
        var rows = TableRow().Matches(section).Count;
        var headers = HeaderRule().Matches(section).Count;
        return rows - 2 * headers;
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        // The diagnosis benchmark's quick mode is a test of its own in this run (DiagnosisBenchmark), on the shared application.
        start.Environment["DIAGNOSIS_BENCH_SKIP"] = "1";
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM first, so the script's trap stops what it started; bash runs the trap only once its foreground
            // child (a build, BenchmarkDotNet) returns, so after a grace period the whole tree is killed.
            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }

            return (-1, $"timed out after {Deadline}\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, $"{await stdout}\n{await stderr}");
    }

    [GeneratedRegex(@"^\|.*\|\s*$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^\|(---\|)+\s*$", RegexOptions.Multiline)]
    private static partial Regex HeaderRule();
}
