using BenchmarkDotNet.Running;
using OrdersTracing.Benchmarks.Export;

// "export ..." measures the export path against a live OTLP receiver; anything else goes to BenchmarkDotNet.
if (args is ["export", .. var exportArgs])
{
    return await ExportPathBenchmark.RunAsync(exportArgs);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
