//! Group commit: several writers' transactions made durable by one flush.
//!
//! A durable commit costs about one disk flush, so one application per transaction tops out near
//! the disk's flush rate. Here one thread owns the writing: it takes every job waiting, runs each
//! in its own savepoint inside one transaction, commits once, and only then tells each caller how
//! its job went. A job that fails rolls back to its savepoint and fails alone; if the commit
//! fails, every job of the batch is told so. Nothing is acknowledged before it is durable.
//!
//! No job waits for company: the thread takes what is queued when it is free, so a lone request
//! is committed at once, and under load the batches grow by themselves while a flush is running.

use std::sync::mpsc;

use diesel::r2d2::Pool;
use diesel::{Connection, RunQueryDsl};
use tokio::sync::oneshot;

use super::connection::{DbConnection, Manager};
use super::{StorageError, StorageResult};

/// At most this many jobs share one transaction, so one batch never holds the lock for long.
const MAX_BATCH: usize = 64;

trait Job: Send {
    /// Runs the job's work inside the batch's transaction (in its own savepoint).
    fn run(&mut self, conn: &mut DbConnection);
    /// Tells the caller the outcome, once the batch's commit is known.
    fn finish(self: Box<Self>, committed: Result<(), &str>);
}

struct TypedJob<T, F> {
    work: Option<F>,
    outcome: Option<StorageResult<T>>,
    reply: oneshot::Sender<StorageResult<T>>,
}

impl<T, F> Job for TypedJob<T, F>
where
    T: Send,
    F: FnOnce(&mut DbConnection) -> StorageResult<T> + Send,
{
    fn run(&mut self, conn: &mut DbConnection) {
        if let Some(work) = self.work.take() {
            // Nested in the batch's transaction, this is a savepoint: a failure undoes only it.
            self.outcome = Some(conn.transaction(work));
        }
    }

    fn finish(self: Box<Self>, committed: Result<(), &str>) {
        let outcome = match (committed, self.outcome) {
            (Ok(()), Some(outcome)) => outcome,
            (Err(why), _) => Err(StorageError::Unavailable(format!(
                "the commit failed: {why}"
            ))),
            (Ok(()), None) => Err(StorageError::Unavailable("the job did not run".into())),
        };
        // The caller may have gone (a closed connection); the work stands either way.
        let _ = self.reply.send(outcome);
    }
}

/// The handle: cheap to clone; the writing thread ends when the last handle is dropped.
#[derive(Clone)]
pub struct GroupCommit {
    jobs: mpsc::Sender<Box<dyn Job>>,
}

impl GroupCommit {
    pub fn start(pool: Pool<Manager>) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Box<dyn Job>>();
        std::thread::Builder::new()
            .name("group-commit".into())
            .spawn(move || writer(&pool, &queue))?;
        Ok(Self { jobs })
    }

    /// Runs `work` in the next batch and returns its outcome once the batch is durable.
    pub async fn write<T, F>(&self, work: F) -> StorageResult<T>
    where
        F: FnOnce(&mut DbConnection) -> StorageResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (reply, outcome) = oneshot::channel();
        let job = TypedJob {
            work: Some(work),
            outcome: None,
            reply,
        };
        self.jobs
            .send(Box::new(job))
            .map_err(|_| StorageError::Unavailable("the database writer has stopped".into()))?;
        outcome
            .await
            .map_err(|_| StorageError::Unavailable("the database writer has stopped".into()))?
    }
}

fn writer(pool: &Pool<Manager>, queue: &mpsc::Receiver<Box<dyn Job>>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let committed = match pool.get() {
            Ok(mut conn) => commit(&mut conn, &mut batch),
            Err(e) => Err(e.to_string()),
        };
        if let Err(why) = &committed {
            tracing::warn!(jobs = batch.len(), error = %why, "a group commit failed; its jobs are told so");
        }
        for job in batch {
            job.finish(committed.as_ref().map(|_| ()).map_err(String::as_str));
        }
    }
}

fn commit(conn: &mut DbConnection, batch: &mut [Box<dyn Job>]) -> Result<(), String> {
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    conn.transaction(|conn| {
        if sqlite {
            // Take SQLite's write lock before any job reads, as BEGIN IMMEDIATE would: a
            // transaction that read first could not upgrade while another process writes.
            diesel::sql_query("UPDATE postings SET id = id WHERE 1 = 0").execute(conn)?;
        }
        for job in batch.iter_mut() {
            job.run(conn);
        }
        Ok::<(), diesel::result::Error>(())
    })
    .map_err(|e| e.to_string())
}
