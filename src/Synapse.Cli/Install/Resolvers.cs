namespace Synapse.Cli.Install;

internal static class Resolvers
{
    public static IDependencyResolver Default { get; } = new PubGrubResolver();
}
