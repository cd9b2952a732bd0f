using Microsoft.EntityFrameworkCore;

namespace Synapse.Registry.Data;

/// <summary>The one provider-neutral model; each provider has a thin subclass owning its migration set.</summary>
internal abstract class RegistryDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<Package> Packages => Set<Package>();
    public DbSet<PackageVersion> PackageVersions => Set<PackageVersion>();
    public DbSet<VersionDependency> VersionDependencies => Set<VersionDependency>();
    public DbSet<PackageOwner> PackageOwners => Set<PackageOwner>();
    public DbSet<Download> Downloads => Set<Download>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<SearchIndex> SearchIndex => Set<SearchIndex>();
    public DbSet<AuditLogEntry> AuditLog => Set<AuditLogEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(user =>
        {
            user.Property(u => u.Username).HasMaxLength(39);
            user.Property(u => u.Email).HasMaxLength(254);
            user.Property(u => u.PasswordHash).HasMaxLength(200);
            user.HasIndex(u => u.Username).IsUnique();
        });

        modelBuilder.Entity<Package>(package =>
        {
            package.Property(p => p.Name).HasMaxLength(64);
            package.Property(p => p.CanonicalName).HasMaxLength(64);
            package.Property(p => p.Keywords).HasMaxLength(200);
            package.HasIndex(p => p.CanonicalName).IsUnique();
            package.HasIndex(p => p.Downloads);
            package.HasMany(p => p.Versions).WithOne(v => v.Package).HasForeignKey(v => v.PackageId);
            package.HasMany(p => p.Owners).WithOne().HasForeignKey(o => o.PackageId);
        });

        modelBuilder.Entity<PackageVersion>(version =>
        {
            version.Property(v => v.Version).HasMaxLength(256);
            version.Property(v => v.NormalizedVersion).HasMaxLength(256);
            version.Property(v => v.Sha256).HasMaxLength(64);
            version.HasIndex(v => new { v.PackageId, v.NormalizedVersion }).IsUnique();
            version.HasIndex(v => v.Sha256);
            version.HasIndex(v => v.PublishedAt);
            version.HasOne(v => v.PublishedBy).WithMany().HasForeignKey(v => v.PublishedById).OnDelete(DeleteBehavior.Restrict);
            version.HasMany(v => v.Dependencies).WithOne().HasForeignKey(d => d.PackageVersionId);
        });

        modelBuilder.Entity<VersionDependency>(dependency =>
        {
            dependency.Property(d => d.Name).HasMaxLength(64);
            dependency.Property(d => d.CanonicalName).HasMaxLength(64);
            dependency.Property(d => d.Range).HasMaxLength(1024);
            dependency.HasIndex(d => d.CanonicalName);
        });

        modelBuilder.Entity<PackageOwner>(owner =>
        {
            owner.HasKey(o => new { o.PackageId, o.UserId });
            owner.HasOne(o => o.User).WithMany().HasForeignKey(o => o.UserId);
            owner.HasIndex(o => o.UserId);
        });

        modelBuilder.Entity<Download>(download =>
        {
            download.Property(d => d.Day).HasMaxLength(10);
            download.Property(d => d.IpHash).HasMaxLength(64);
            download.HasIndex(d => new { d.PackageVersionId, d.Day, d.IpHash }).IsUnique();
        });

        modelBuilder.Entity<ApiToken>(token =>
        {
            token.Property(t => t.Name).HasMaxLength(64);
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.Property(t => t.Scopes).HasMaxLength(100);
            token.Property(t => t.Packages).HasMaxLength(2000);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasIndex(t => t.UserId);
            token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId);
        });

        modelBuilder.Entity<SearchIndex>(search =>
        {
            search.HasIndex(s => s.PackageId).IsUnique();
            search.HasOne(s => s.Package).WithOne().HasForeignKey<SearchIndex>(s => s.PackageId);
            search.Property(s => s.Name).HasMaxLength(64);
        });

        modelBuilder.Entity<AuditLogEntry>(entry =>
        {
            entry.Property(e => e.Action).HasMaxLength(32);
            entry.Property(e => e.PackageName).HasMaxLength(64);
            entry.Property(e => e.Version).HasMaxLength(256);
            entry.HasIndex(e => e.PackageName);
        });
    }
}
