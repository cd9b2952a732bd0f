using BenchmarkDotNet.Running;
using Synapse.Benchmarks.Registry;
using Synapse.Benchmarks.Resolver;

if (args.Length > 0 && args[0] == "resolve") return await ResolveCommand.ResolveAsync(args[1..]);
if (args.Length > 0 && args[0] == "search-scale") return await SearchScaleCommand.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "generate-resolve-problems") return await ResolveCommand.GenerateAsync(args[1..]);

BenchmarkSwitcher.FromAssembly(typeof(ResolveCommand).Assembly).Run(args);
return 0;
