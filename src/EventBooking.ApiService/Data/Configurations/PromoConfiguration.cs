using EventBooking.ApiService.Messaging;
using EventBooking.ApiService.Promo;
using EventBooking.ApiService.Promo.ProofOfWork;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EventBooking.ApiService.Data.Configurations;

internal sealed class PromoRegistrationConfiguration : IEntityTypeConfiguration<PromoRegistration>
{
    public void Configure(EntityTypeBuilder<PromoRegistration> registration)
    {
        registration.ToTable("PromoRegistrations");
        // INTEGER PRIMARY KEY AUTOINCREMENT: SQLite hands out increasing numbers in commit order.
        registration.HasKey(r => r.Sequence);
        registration.Property(r => r.Sequence).ValueGeneratedOnAdd();
        registration.Property(r => r.Id).HasMaxLength(32);
        registration.Property(r => r.Email).HasMaxLength(254);
        registration.Property(r => r.EmailNormalized).HasMaxLength(254);
        registration.Property(r => r.Name).HasMaxLength(100);
        registration.Property(r => r.Step).HasMaxLength(64);
        registration.Property(r => r.Code).HasMaxLength(32);
        registration.Property(r => r.Message).HasMaxLength(500);
        // Every replica's status consumer writes here: a save based on a version another one has since replaced
        // fails (and is read again) instead of putting an older status over a newer one.
        registration.Property(r => r.StatusVersion).IsConcurrencyToken();

        registration.HasIndex(r => r.Id).IsUnique();
        registration.HasIndex(r => r.EmailNormalized).IsUnique();
        registration.HasIndex(r => new { r.Status, r.Sequence });
        // An order's promo code is looked up here.
        registration.HasIndex(r => r.Code);
        registration.Property(r => r.ConfirmTokenHash).HasMaxLength(64);
        registration.Property(r => r.MailboxKeyHash).HasMaxLength(64);
        registration.HasIndex(r => r.ConfirmTokenHash).IsUnique();
        // The release loop's question, "who still waits for confirmation", stays small.
        registration.HasIndex(r => r.ConfirmBy).HasDatabaseName("IX_PromoRegistrations_Unreleased").HasFilter("\"ReleasedAt\" IS NULL");
    }
}

internal sealed class UsedChallengeConfiguration : IEntityTypeConfiguration<UsedChallenge>
{
    public void Configure(EntityTypeBuilder<UsedChallenge> used)
    {
        used.ToTable("UsedChallenges");
        // The key is the challenge itself: a second insert of it fails, on every replica at once.
        used.HasKey(u => u.Challenge);
        used.Property(u => u.Challenge).HasMaxLength(64);
        used.HasIndex(u => u.ExpiresAt);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> message)
    {
        message.ToTable("Outbox");
        message.HasKey(m => m.Id);
        message.Property(m => m.Id).ValueGeneratedOnAdd();
        message.Property(m => m.Type).HasMaxLength(64);
        message.Property(m => m.MessageId).HasMaxLength(64);
        message.Property(m => m.TraceParent).HasMaxLength(64);
        // The relay's only query is "what is not sent yet, in order": a partial index keeps it tiny.
        message.HasIndex(m => m.Id).HasDatabaseName("IX_Outbox_Unsent").HasFilter("\"SentAt\" IS NULL");
    }
}
