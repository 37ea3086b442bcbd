using System.Data.Common;
using EventBooking.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class MailRegistration
{
    /// <summary>
    /// Mail through <typeparamref name="TContext"/>'s outbox: options (section "Mail", host and port from
    /// ConnectionStrings:mail when the app host gives one), the composer, and the background sender.
    /// </summary>
    public static IHostApplicationBuilder AddMailOutbox<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext
    {
        builder.Services.AddOptions<MailOptions>()
            .Bind(builder.Configuration.GetSection(MailOptions.Section))
            .PostConfigure(options => options.UseConnectionString(builder.Configuration.GetConnectionString("mail")))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<MailComposer>();
        builder.Services.AddSingleton<MailSignal>();
        builder.Services.AddSingleton<IInterceptor, MailQueuedInterceptor>();
        builder.Services.AddHostedService<MailSender<TContext>>();
        return builder;
    }
}

/// <summary>Wakes the sender when a save (or the transaction around it) that queued mail commits.</summary>
internal sealed class MailQueuedInterceptor(MailSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> _queuedMail = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && db.ChangeTracker.Entries<OutgoingMail>().Any(e => e.State == EntityState.Added))
        {
            _queuedMail.AddOrUpdate(db, this);
        }

        return ValueTask.FromResult(result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        // Inside a transaction the rows are not visible yet: the commit wakes the sender instead.
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            WakeFor(eventData.Context);
        }

        return ValueTask.FromResult(result);
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        WakeFor(eventData.Context);
        return Task.CompletedTask;
    }

    private void WakeFor(DbContext? db)
    {
        if (db is not null && _queuedMail.Remove(db))
        {
            signal.Notify();
        }
    }
}
