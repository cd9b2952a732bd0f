namespace Synapse.Registry.Tests.Infrastructure;

/// <summary>One registry shared by the tests of a class (each class gets its own database).</summary>
public sealed class RegistryFixture : IDisposable
{
    public RegistryFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
