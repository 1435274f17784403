using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using OrdersTracing.Benchmarks.Export;

// "export ..." measures the export path, "sink ..." is a receiver for it; anything else goes to BenchmarkDotNet.
switch (args)
{
    case ["export", .. var exportArgs]:
        return await ExportPathBenchmark.RunAsync(exportArgs);
    case ["sink", .. var sinkArgs]:
        return await DiscardingReceiver.RunAsync(sinkArgs);
}

// "--smoke" (bench/run.sh --quick) runs on Debug builds of the projects under test: it checks that the benchmarks run,
// and its timings are not read.
var config = DefaultConfig.Instance;
if (args.Contains("--smoke"))
{
    config = config.WithOptions(ConfigOptions.DisableOptimizationsValidator);
    args = [.. args.Where(arg => arg != "--smoke")];
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
