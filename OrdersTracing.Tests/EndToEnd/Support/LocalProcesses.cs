using System.Diagnostics;
using System.Globalization;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>The processes the orchestrator started for a resource, found by their parent, and signals sent to one of them by id.</summary>
public static class LocalProcesses
{
    public static IEnumerable<(int Pid, string Name)> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // "pid (comm) state ppid ...": comm may hold spaces, so read around its parentheses.
            var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
            {
                yield return (pid, name);
            }
        }
    }

    /// <summary>The process itself and all below it, deepest last.</summary>
    public static IEnumerable<int> TreeOf(int root)
    {
        yield return root;
        foreach (var (child, _) in ChildrenOf(root).ToList())
        {
            foreach (var descendant in TreeOf(child))
            {
                yield return descendant;
            }
        }
    }

    /// <summary>The local ports of the TCP sockets the process and its children hold open: which process a server's client is.</summary>
    public static IReadOnlySet<int> TcpPortsOf(int root)
    {
        var inodes = new HashSet<string>();
        foreach (var pid in TreeOf(root))
        {
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                    {
                        inodes.Add(target["socket:[".Length..^1]);
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }
        }

        // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...", addresses as hex "ip:port".
        return File.ReadLines("/proc/net/tcp").Concat(File.ReadLines("/proc/net/tcp6")).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 9 && inodes.Contains(fields[9]))
            .Select(fields => int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .ToHashSet();
    }

    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
