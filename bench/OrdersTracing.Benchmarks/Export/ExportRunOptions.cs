using System.Globalization;

namespace OrdersTracing.Benchmarks.Export;

internal sealed record ExportRunOptions(Uri Dashboard, Uri Sink, TimeSpan Duration, TimeSpan FlushTimeout, int Rounds, int[] Rates, string Output)
{
    public static ExportRunOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Value(string name) =>
            values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

        return new ExportRunOptions(
            new Uri(Value("dashboard")),
            new Uri(Value("sink")),
            TimeSpan.FromSeconds(double.Parse(Value("seconds"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Value("flush-seconds"), CultureInfo.InvariantCulture)),
            int.Parse(Value("rounds"), CultureInfo.InvariantCulture),
            [.. Value("rates").Split(',').Select(rate => int.Parse(rate, CultureInfo.InvariantCulture))],
            Value("output"));
    }
}
