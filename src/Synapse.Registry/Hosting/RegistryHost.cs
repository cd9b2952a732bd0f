namespace Synapse.Registry.Hosting;

internal static class RegistryHost
{
    /// <summary>Under WebApplicationFactory, startup errors must reach the test instead of becoming an exit code.</summary>
    public static bool IsUnderTest => AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.AspNetCore.Mvc.Testing");
}
