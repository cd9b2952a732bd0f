using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Synapse.Registry.Search;

/// <summary>
/// FTS5's <c>bm25()</c> with the document frequencies handed in instead of counted: <c>bm25()</c> counts, on every
/// query, every row that contains each term (its IDF), which for a word most packages contain ("http" is in 67,000 of
/// 100,000) is most of a search's time. <see cref="SqliteFtsPackageSearch"/> passes counts it keeps for a while
/// (<see cref="TermFrequencies"/>). Called as <c>synapse_bm25(search_fts, w0, w1, w2, df0, df1, ...)</c>: a weight per
/// column, then the number of rows matching each phrase of the MATCH expression, in order; the same formula, constants
/// and sign as <c>bm25()</c> (lower is better), so with exact counts both return the same value. The weights and counts
/// are read on a query's first row and kept for the rest of it, so a statement calls it once (with one set of arguments).
/// </summary>
internal static unsafe partial class SqliteBm25
{
    public const string FunctionName = "synapse_bm25";
    private const string Library = "e_sqlite3";
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const int Ok = 0;
    private const int OutOfMemory = 7;
    private const int MaxPhrases = 64;
    private const int Row = 100;

    // Opening a pooled connection reuses its native handle, which keeps the function: FTS5 would add it again to a list
    // every query searches.
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Registered = [];
    private static readonly object Done = new();

    /// <summary>Makes <c>synapse_bm25</c> available on an open connection (once per native connection).</summary>
    public static void Register(SqliteConnection connection)
    {
        var handle = connection.Handle!;
        if (Registered.TryGetValue(handle, out _))
        {
            return;
        }
        // The native calls below go to e_sqlite3 with this connection's handle: it must be that library's.
        if (SQLitePCL.raw.GetNativeLibraryName() != Library)
        {
            throw new InvalidOperationException($"The registry's search needs the bundled SQLite ({Library}), not '{SQLitePCL.raw.GetNativeLibraryName()}'.");
        }
        var db = handle.DangerousGetHandle();
        var api = GetFts5Api(db);
        var name = "synapse_bm25\0"u8;
        fixed (byte* zName = name)
        {
            var rc = api->xCreateFunction(api, zName, null, &Rank, null);
            if (rc != Ok)
            {
                throw new InvalidOperationException($"SQLite refused to register {FunctionName} (error {rc}).");
            }
        }
        Registered.AddOrUpdate(handle, Done);
    }

    private static Fts5Api* GetFts5Api(nint db)
    {
        nint statement;
        var sql = "SELECT fts5(?1)"u8;
        fixed (byte* zSql = sql)
        {
            if (sqlite3_prepare_v2(db, zSql, sql.Length, &statement, null) != Ok)
            {
                throw new InvalidOperationException("This SQLite library has no FTS5, which the registry's search needs.");
            }
        }
        try
        {
            Fts5Api* api = null;
            var type = "fts5_api_ptr\0"u8;
            fixed (byte* zType = type)
            {
                if (sqlite3_bind_pointer(statement, 1, &api, zType, 0) != Ok || sqlite3_step(statement) != Row)
                {
                    api = null;
                }
            }
            return api is not null && api->iVersion >= 2
                ? api
                : throw new InvalidOperationException("This SQLite library's FTS5 is too old for the registry's search.");
        }
        finally
        {
            _ = sqlite3_finalize(statement);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Rank(Fts5ExtensionApi* api, nint fts, nint context, int argumentCount, nint* arguments)
    {
        // What is the same for every row of the query (IDFs, weights, average length) is worked out once and kept with
        // the query, as bm25() does.
        var query = (QueryData*)api->xGetAuxdata(fts, 0);
        int rc;
        if (query is null)
        {
            var columnCount = api->xColumnCount(fts);
            var phraseCount = api->xPhraseCount(fts);
            if (argumentCount != columnCount + phraseCount || phraseCount > MaxPhrases)
            {
                var message = "synapse_bm25 takes a weight per column, then a document count per phrase"u8;
                fixed (byte* zMessage = message)
                {
                    sqlite3_result_error(context, zMessage, message.Length);
                }
                return;
            }
            query = Prepare(api, fts, columnCount, phraseCount, arguments, &rc);
            // On a failed xSetAuxdata (out of memory) FTS5 has already freed it through Free.
            if (query is null || (rc = api->xSetAuxdata(fts, query, &Free)) != Ok)
            {
                sqlite3_result_error_code(context, rc);
                return;
            }
        }
        int instances, rowTokens;
        if ((rc = api->xInstCount(fts, &instances)) != Ok || (rc = api->xColumnSize(fts, -1, &rowTokens)) != Ok)
        {
            sqlite3_result_error_code(context, rc);
            return;
        }
        var phrases = query->Phrases;
        var frequencies = stackalloc double[phrases];
        new Span<double>(frequencies, phrases).Clear();
        for (var i = 0; i < instances; i++)
        {
            int phrase, column, offset;
            if ((rc = api->xInst(fts, i, &phrase, &column, &offset)) != Ok)
            {
                sqlite3_result_error_code(context, rc);
                return;
            }
            if ((uint)phrase < (uint)phrases && (uint)column < (uint)query->Columns)
            {
                frequencies[phrase] += query->Weight(column);
            }
        }
        var lengthNorm = K1 * (1 - B + B * rowTokens / query->AverageLength);
        double score = 0;
        for (var i = 0; i < phrases; i++)
        {
            score += query->Idf(i) * frequencies[i] * (K1 + 1) / (frequencies[i] + lengthNorm);
        }
        sqlite3_result_double(context, -score);
    }

    private static QueryData* Prepare(Fts5ExtensionApi* api, nint fts, int columns, int phrases, nint* arguments, int* rc)
    {
        long rows, tokens;
        if ((*rc = api->xRowCount(fts, &rows)) != Ok || (*rc = api->xColumnTotalSize(fts, -1, &tokens)) != Ok)
        {
            return null;
        }
        // sqlite3_malloc, not a managed allocation: an exception must never leave a callback SQLite called.
        var query = (QueryData*)sqlite3_malloc64((ulong)(sizeof(QueryData) + (columns + phrases) * sizeof(double)));
        if (query is null)
        {
            *rc = OutOfMemory;
            return null;
        }
        query->Columns = columns;
        query->Phrases = phrases;
        query->AverageLength = rows > 0 && tokens > 0 ? (double)tokens / rows : 1;
        for (var i = 0; i < columns; i++)
        {
            query->Values[i] = sqlite3_value_double(arguments[i]);
        }
        for (var i = 0; i < phrases; i++)
        {
            query->Values[columns + i] = Idf(rows, sqlite3_value_int64(arguments[columns + i]));
        }
        return query;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Free(void* query) => sqlite3_free(query);

    /// <summary>Per query: the column weights, then the phrase IDFs, in <see cref="Values"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct QueryData
    {
        public int Columns;
        public int Phrases;
        public double AverageLength;

        public double* Values => (double*)((byte*)Unsafe.AsPointer(ref this) + sizeof(QueryData));

        public double Weight(int column) => Values[column];

        public double Idf(int phrase) => Values[Columns + phrase];
    }

    /// <summary>
    /// FTS5's IDF, including its floor for a term more than half the rows contain. A kept count can be out of date
    /// (packages deleted since), so it is first brought within 0..<paramref name="rows"/>: never a NaN, which SQLite
    /// would turn into a NULL rank and the query into an empty page.
    /// </summary>
    internal static double Idf(long rows, long matching)
    {
        matching = Math.Clamp(matching, 0, Math.Max(rows, 0));
        var idf = Math.Log((rows - matching + 0.5) / (matching + 0.5));
        return double.IsFinite(idf) && idf > 0 ? idf : 1e-6;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Fts5Api
    {
        public int iVersion;
        public nint xCreateTokenizer;
        public nint xFindTokenizer;
        public delegate* unmanaged[Cdecl]<Fts5Api*, byte*, void*, delegate* unmanaged[Cdecl]<Fts5ExtensionApi*, nint, nint, int, nint*, void>, void*, int> xCreateFunction;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Fts5ExtensionApi
    {
        public int iVersion;
        public nint xUserData;
        public delegate* unmanaged[Cdecl]<nint, int> xColumnCount;
        public delegate* unmanaged[Cdecl]<nint, long*, int> xRowCount;
        public delegate* unmanaged[Cdecl]<nint, int, long*, int> xColumnTotalSize;
        public nint xTokenize;
        public delegate* unmanaged[Cdecl]<nint, int> xPhraseCount;
        public nint xPhraseSize;
        public delegate* unmanaged[Cdecl]<nint, int*, int> xInstCount;
        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int*, int*, int*, int> xInst;
        public nint xRowid;
        public nint xColumnText;
        public delegate* unmanaged[Cdecl]<nint, int, int*, int> xColumnSize;
        public nint xQueryPhrase;
        public delegate* unmanaged[Cdecl]<nint, void*, delegate* unmanaged[Cdecl]<void*, void>, int> xSetAuxdata;
        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, void*> xGetAuxdata;
    }

    [LibraryImport(Library)]
    private static partial int sqlite3_prepare_v2(nint db, byte* sql, int bytes, nint* statement, byte** tail);

    [LibraryImport(Library)]
    private static partial int sqlite3_bind_pointer(nint statement, int index, void* pointer, byte* type, nint destructor);

    [LibraryImport(Library)]
    private static partial int sqlite3_step(nint statement);

    [LibraryImport(Library)]
    private static partial int sqlite3_finalize(nint statement);

    [LibraryImport(Library)]
    private static partial void* sqlite3_malloc64(ulong bytes);

    [LibraryImport(Library)]
    private static partial void sqlite3_free(void* memory);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    private static partial double sqlite3_value_double(nint value);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    private static partial long sqlite3_value_int64(nint value);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    private static partial void sqlite3_result_double(nint context, double value);

    [LibraryImport(Library)]
    private static partial void sqlite3_result_error(nint context, byte* message, int bytes);

    [LibraryImport(Library)]
    private static partial void sqlite3_result_error_code(nint context, int code);
}
