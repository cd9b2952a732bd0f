using Synapse.Registry.Storage;
using Synapse.Registry.Storage.S3;
using Synapse.Registry.Tests.Specifications;

namespace Synapse.Registry.Tests.Backends;

/// <summary>The shared blob store specification against the real S3-compatible server, a bucket per test.</summary>
public sealed class S3BlobStoreSpecification : BlobStoreSpecification, IDisposable
{
    private S3BlobStore? store;

    internal override IBlobStore CreateStore() => store = new S3BlobStore(TestServices.S3Options(TestServices.UniqueName("spec")));

    public void Dispose() => store?.Dispose();
}
