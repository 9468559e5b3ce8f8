//! Object store: where attachment and image bytes live, apart from the database.
//!
//! `LocalDirStore` keeps objects under `<data_dir>/objects/` (the zero-setup default);
//! [`super::objects_s3::S3Store`] keeps them in an S3-compatible bucket. [`from_settings`] picks
//! one by configuration; nothing else changes.
//!
//! Keys are generated here (128 random bits as hex, plus an optional short extension from a
//! server-side whitelist), and every key read back from the database is re-validated by
//! [`ObjectKey::parse`], so no key can name a path outside the store.

use std::fmt;
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};

use crate::config::Settings;

/// Futures of the store. Not `Send`: uploads read actix's request payload, which is not either.
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;
/// Futures that may be spawned elsewhere (clean-up of abandoned objects).
pub type SendFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// The bytes of an upload, read once.
pub type ByteStream<'a> = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + 'a>>;
/// A download from a store that cannot hand out a file.
pub type ByteStreamSend = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

/// The store as the application holds it.
pub type Objects = Arc<dyn ObjectStore>;

const KEY_HEX_LEN: usize = 32;
const MAX_EXT_LEN: usize = 10;

/// A server-generated object name: 32 lowercase hex digits, optionally `.ext` (`[a-z0-9]{1,10}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectKey(String);

impl ObjectKey {
    /// A fresh random key. `ext` is kept only if it is short lowercase alphanumerics.
    pub fn random(ext: Option<&str>) -> Result<ObjectKey, ObjectError> {
        let mut bytes = [0u8; KEY_HEX_LEN / 2];
        getrandom::fill(&mut bytes)
            .map_err(|e| ObjectError::Io(std::io::Error::other(e.to_string())))?;
        let mut key = hex::encode(bytes);
        if let Some(ext) = ext.filter(|e| valid_ext(e)) {
            key.push('.');
            key.push_str(ext);
        }
        Ok(ObjectKey(key))
    }

    /// Re-validates a stored key; anything else (paths, `..`, separators) is `None`.
    pub fn parse(raw: &str) -> Option<ObjectKey> {
        let (stem, ext) = match raw.split_once('.') {
            Some((stem, ext)) => (stem, Some(ext)),
            None => (raw, None),
        };
        let stem_ok = stem.len() == KEY_HEX_LEN
            && stem
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        (stem_ok && ext.is_none_or(valid_ext)).then(|| ObjectKey(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The extension the key was generated with, if any.
    pub fn ext(&self) -> Option<&str> {
        self.0.split_once('.').map(|(_, ext)| ext)
    }
}

fn valid_ext(ext: &str) -> bool {
    !ext.is_empty()
        && ext.len() <= MAX_EXT_LEN
        && ext
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ObjectError {
    #[error("object store: {0}")]
    Io(#[from] std::io::Error),
    /// A remote store did not answer (down, timed out, 5xx): attachment calls answer 503 while
    /// everything else keeps working.
    #[error("object store unavailable: {0}")]
    Unavailable(String),
    /// A remote store refused the configured credentials or bucket: a configuration error.
    #[error("object store refused access: {0}")]
    Refused(String),
}

/// Why an upload was not stored. In every case nothing is left behind.
#[derive(Debug, thiserror::Error)]
pub enum PutError {
    #[error("the object is larger than {0} bytes")]
    TooLarge(u64),
    /// Reading the client's body failed (disconnect, malformed multipart).
    #[error("reading the upload: {0}")]
    Body(std::io::Error),
    #[error(transparent)]
    Store(#[from] ObjectError),
}

/// An object to send back: a local file (served with range and conditional support) or a
/// stream from a remote store.
pub enum ObjectBody {
    File(PathBuf),
    Stream {
        body: ByteStreamSend,
        size: Option<u64>,
    },
}

pub trait ObjectStore: Send + Sync {
    /// Stores the whole stream under `key`, failing with `TooLarge` as soon as it exceeds
    /// `max_bytes`. The object becomes visible only once complete; returns its size.
    fn put<'a>(
        &'a self,
        key: &'a ObjectKey,
        body: ByteStream<'a>,
        max_bytes: u64,
    ) -> LocalFuture<'a, Result<u64, PutError>>;

    /// The object, or `None` when it does not exist.
    fn get<'a>(
        &'a self,
        key: &'a ObjectKey,
    ) -> SendFuture<'a, Result<Option<ObjectBody>, ObjectError>>;

    /// Removes the object; removing a missing object is not an error.
    fn delete<'a>(&'a self, key: &'a ObjectKey) -> SendFuture<'a, Result<(), ObjectError>>;

    fn exists<'a>(&'a self, key: &'a ObjectKey) -> SendFuture<'a, Result<bool, ObjectError>>;

    /// Copies the object under a new key (a real copy: deleting either leaves the other).
    /// `NotFound` when `from` does not exist; the copy becomes visible only once complete.
    fn copy<'a>(
        &'a self,
        from: &'a ObjectKey,
        to: &'a ObjectKey,
    ) -> SendFuture<'a, Result<(), ObjectError>>;

    /// Every stored object's key, sorted (backups, the deep clean); unfinished uploads are not
    /// objects yet and are not listed.
    fn list(&self) -> SendFuture<'_, Result<Vec<ObjectKey>, ObjectError>>;

    /// A short-lived URL the client may fetch the object from directly, served with this name
    /// and type; `None` when the store does not hand out URLs (the local folder) or is not
    /// configured to, or when the object does not exist.
    fn presigned_url<'a>(
        &'a self,
        _key: &'a ObjectKey,
        _file_name: &'a str,
        _content_type: &'a str,
    ) -> SendFuture<'a, Result<Option<String>, ObjectError>> {
        Box::pin(async { Ok(None) })
    }

    /// For `/health/ready`: `None` when the store is local (nothing remote to check), else
    /// whether it answers (cheap and cached for a few seconds).
    fn check(&self) -> SendFuture<'_, Option<Result<(), ObjectError>>> {
        Box::pin(async { None })
    }
}

/// The store the configuration asks for: S3 when `storage.s3.endpoint` and `bucket` are set,
/// else the local directory. Makes no network call (commands that never touch objects start
/// without S3).
pub fn from_settings(settings: &Settings) -> Result<Objects, ObjectError> {
    if settings.storage.s3.enabled() {
        return Ok(Arc::new(super::objects_s3::S3Store::new(
            &settings.storage.s3,
        )?));
    }
    Ok(Arc::new(LocalDirStore::open(
        settings.data_dir.join("objects"),
    )?))
}

/// [`from_settings`] for the server: an S3 store is checked once, so wrong credentials or a
/// missing bucket stop start-up with a clear message; an S3 that does not answer yet is only
/// logged (attachments answer 503 until it does).
pub async fn open(settings: &Settings) -> Result<Objects, ObjectError> {
    let objects = from_settings(settings)?;
    match objects.check().await {
        Some(Err(e @ ObjectError::Refused(_))) => return Err(e),
        Some(Err(e)) => tracing::warn!(error = %e, "object storage is not reachable yet"),
        Some(Ok(())) | None => {}
    }
    Ok(objects)
}

/// Deletes objects after the database no longer points at them. Failures are logged, never
/// returned: the database is already consistent and an orphan file harms nobody.
pub async fn delete_all(objects: &dyn ObjectStore, keys: &[String]) {
    for raw in keys {
        let Some(key) = ObjectKey::parse(raw) else {
            tracing::warn!(key = %raw, "not an object key; nothing deleted");
            continue;
        };
        if let Err(e) = objects.delete(&key).await {
            tracing::warn!(key = %key, error = %e, "could not delete an object");
        }
    }
}

/// Objects under one directory, sharded by the key's first two characters. Uploads are written
/// to `.tmp/` on the same file system and renamed into place, so a reader never sees a partial
/// object; a temp file is removed on every failure, including a dropped (cancelled) upload.
pub struct LocalDirStore {
    root: PathBuf,
}

const TMP_DIR: &str = ".tmp";
/// Bytes gathered before each write, to keep blocking-pool hops few.
const WRITE_BUFFER: usize = 256 * 1024;
/// Temp files older than this at start-up are leftovers of a crash.
const STALE_TMP: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

impl LocalDirStore {
    pub fn open(root: PathBuf) -> Result<LocalDirStore, ObjectError> {
        std::fs::create_dir_all(root.join(TMP_DIR)).map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot create {}: {e}", root.display()))
        })?;
        sweep_stale(&root.join(TMP_DIR));
        Ok(LocalDirStore { root })
    }

    fn path(&self, key: &ObjectKey) -> PathBuf {
        let shard = &key.as_str()[..2];
        self.root.join(shard).join(key.as_str())
    }
}

fn sweep_stale(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TMP);
        if stale && let Err(e) = std::fs::remove_file(entry.path()) {
            tracing::warn!(path = %entry.path().display(), error = %e, "could not remove a stale upload");
        }
    }
}

/// A temp file that removes itself unless it was renamed into place.
struct TempFile {
    path: PathBuf,
    file: Option<std::fs::File>,
    kept: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        self.file = None;
        if !self.kept
            && let Err(e) = std::fs::remove_file(&self.path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(path = %self.path.display(), error = %e, "could not remove a temp upload");
        }
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))?
}

/// Appends `buf` to the temp file on the blocking pool, handing the file back.
async fn write_chunk(mut file: std::fs::File, buf: Vec<u8>) -> std::io::Result<std::fs::File> {
    blocking(move || {
        file.write_all(&buf)?;
        Ok(file)
    })
    .await
}

impl ObjectStore for LocalDirStore {
    fn put<'a>(
        &'a self,
        key: &'a ObjectKey,
        mut body: ByteStream<'a>,
        max_bytes: u64,
    ) -> LocalFuture<'a, Result<u64, PutError>> {
        Box::pin(async move {
            let tmp_name = ObjectKey::random(None)?;
            let tmp_path = self.root.join(TMP_DIR).join(format!("{tmp_name}.part"));
            let create_path = tmp_path.clone();
            let file = blocking(move || {
                // Recreated if someone tidied the data directory while we were running.
                if let Some(dir) = create_path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::File::create_new(&create_path)
            })
            .await
            .map_err(ObjectError::from)?;
            let mut temp = TempFile {
                path: tmp_path,
                file: Some(file),
                kept: false,
            };
            let mut size: u64 = 0;
            let mut buf: Vec<u8> = Vec::with_capacity(WRITE_BUFFER);
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(PutError::Body)?;
                size += chunk.len() as u64;
                if size > max_bytes {
                    return Err(PutError::TooLarge(max_bytes));
                }
                buf.extend_from_slice(&chunk);
                if buf.len() >= WRITE_BUFFER {
                    let file = temp.file.take().ok_or_else(|| {
                        ObjectError::Io(std::io::Error::other("temp file already closed"))
                    })?;
                    let full = std::mem::replace(&mut buf, Vec::with_capacity(WRITE_BUFFER));
                    temp.file = Some(write_chunk(file, full).await.map_err(ObjectError::from)?);
                }
            }
            let file = temp.file.take().ok_or_else(|| {
                ObjectError::Io(std::io::Error::other("temp file already closed"))
            })?;
            let from = temp.path.clone();
            let to = self.path(key);
            blocking(move || {
                let mut file = file;
                file.write_all(&buf)?;
                file.sync_all()?;
                drop(file);
                if let Some(dir) = to.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::rename(&from, &to)
            })
            .await
            .map_err(ObjectError::from)?;
            temp.kept = true;
            Ok(size)
        })
    }

    fn get<'a>(
        &'a self,
        key: &'a ObjectKey,
    ) -> SendFuture<'a, Result<Option<ObjectBody>, ObjectError>> {
        Box::pin(async move {
            let path = self.path(key);
            let probe = path.clone();
            let found = blocking(move || match std::fs::metadata(&probe) {
                Ok(meta) => Ok(meta.is_file()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(e),
            })
            .await?;
            Ok(found.then_some(ObjectBody::File(path)))
        })
    }

    fn delete<'a>(&'a self, key: &'a ObjectKey) -> SendFuture<'a, Result<(), ObjectError>> {
        Box::pin(async move {
            let path = self.path(key);
            blocking(move || match std::fs::remove_file(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                other => other,
            })
            .await?;
            Ok(())
        })
    }

    fn exists<'a>(&'a self, key: &'a ObjectKey) -> SendFuture<'a, Result<bool, ObjectError>> {
        Box::pin(async move {
            let path = self.path(key);
            Ok(blocking(move || Ok(path.is_file())).await?)
        })
    }

    fn copy<'a>(
        &'a self,
        from: &'a ObjectKey,
        to: &'a ObjectKey,
    ) -> SendFuture<'a, Result<(), ObjectError>> {
        Box::pin(async move {
            let source = self.path(from);
            let target = self.path(to);
            let tmp_path = self
                .root
                .join(TMP_DIR)
                .join(format!("{}.part", ObjectKey::random(None)?));
            blocking(move || {
                // Removed on every failure; disarmed once renamed into place.
                let mut temp = TempFile {
                    path: tmp_path.clone(),
                    file: None,
                    kept: false,
                };
                if let Some(dir) = tmp_path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::copy(&source, &tmp_path)?;
                std::fs::File::open(&tmp_path)?.sync_all()?;
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::rename(&tmp_path, &target)?;
                temp.kept = true;
                Ok(())
            })
            .await?;
            Ok(())
        })
    }

    fn list(&self) -> SendFuture<'_, Result<Vec<ObjectKey>, ObjectError>> {
        Box::pin(async move {
            let root = self.root.clone();
            let keys = blocking(move || {
                let mut keys = Vec::new();
                for shard in std::fs::read_dir(&root)? {
                    let shard = shard?;
                    // Only the two-character shard directories hold objects (not `.tmp`).
                    if shard.file_name().len() != 2 || !shard.file_type()?.is_dir() {
                        continue;
                    }
                    for entry in std::fs::read_dir(shard.path())? {
                        let entry = entry?;
                        if let Some(key) = entry.file_name().to_str().and_then(ObjectKey::parse)
                            && entry.file_type()?.is_file()
                        {
                            keys.push(key);
                        }
                    }
                }
                keys.sort_by(|a: &ObjectKey, b: &ObjectKey| a.as_str().cmp(b.as_str()));
                Ok(keys)
            })
            .await?;
            Ok(keys)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_hex_and_parse_rejects_paths() {
        let a = ObjectKey::random(None).unwrap();
        let b = ObjectKey::random(Some("png")).unwrap();
        assert_eq!(a.as_str().len(), 32);
        assert_ne!(a.as_str(), &b.as_str()[..32]);
        assert_eq!(b.ext(), Some("png"));
        assert_eq!(ObjectKey::parse(a.as_str()), Some(a.clone()));
        assert_eq!(ObjectKey::parse(b.as_str()), Some(b));
        // An unsafe extension is dropped, never kept.
        let c = ObjectKey::random(Some("../x")).unwrap();
        assert_eq!(c.ext(), None);
        let hex = "0123456789abcdef0123456789abcdef";
        for bad in [
            "",
            "../etc/passwd",
            "0123456789abcdef0123456789abcde",
            "0123456789ABCDEF0123456789ABCDEF",
            "0123456789abcdef0123456789abcdef/",
            "0123456789abcdef0123456789abcdef.",
            "0123456789abcdef0123456789abcdef.p/g",
            "0123456789abcdef0123456789abcdef.png.exe",
            "/0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(ObjectKey::parse(bad), None, "{bad}");
        }
        assert!(ObjectKey::parse(hex).is_some());
    }

    fn stream_of(chunks: Vec<&'static [u8]>) -> ByteStream<'static> {
        Box::pin(futures_util::stream::iter(
            chunks.into_iter().map(|c| Ok(Bytes::from_static(c))),
        ))
    }

    fn files_under(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            files_under(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }

    #[actix_web::test]
    async fn local_store_round_trip_limit_and_delete() {
        let root = std::env::temp_dir().join(format!(
            "mv-objects-{}-{}",
            std::process::id(),
            ObjectKey::random(None).unwrap()
        ));
        let store = LocalDirStore::open(root.clone()).unwrap();
        let key = ObjectKey::random(Some("bin")).unwrap();
        let size = store
            .put(&key, stream_of(vec![b"\x00\x01", b"\xff\xfe\r\n"]), 10)
            .await
            .unwrap();
        assert_eq!(size, 6);
        assert!(store.exists(&key).await.unwrap());
        let Some(ObjectBody::File(path)) = store.get(&key).await.unwrap() else {
            panic!("a file");
        };
        assert_eq!(std::fs::read(path).unwrap(), b"\x00\x01\xff\xfe\r\n");

        let big = ObjectKey::random(None).unwrap();
        let err = store
            .put(&big, stream_of(vec![b"123456", b"789012"]), 10)
            .await
            .unwrap_err();
        assert!(matches!(err, PutError::TooLarge(10)));
        assert!(!store.exists(&big).await.unwrap());
        // Only the first object is on disk: the failed upload left no temp file.
        assert_eq!(files_under(&root), 1);

        // A copy is independent of its source.
        let copy = ObjectKey::random(Some("bin")).unwrap();
        store.copy(&key, &copy).await.unwrap();
        let Some(ObjectBody::File(path)) = store.get(&copy).await.unwrap() else {
            panic!("a file");
        };
        assert_eq!(std::fs::read(path).unwrap(), b"\x00\x01\xff\xfe\r\n");
        assert_eq!(files_under(&root), 2);
        let missing = ObjectKey::random(None).unwrap();
        let err = store.copy(&missing, &big).await.unwrap_err();
        assert!(matches!(err, ObjectError::Io(e) if e.kind() == std::io::ErrorKind::NotFound));
        assert_eq!(files_under(&root), 2);
        store.delete(&copy).await.unwrap();
        assert!(store.exists(&key).await.unwrap());

        store.delete(&key).await.unwrap();
        store.delete(&key).await.unwrap();
        assert!(store.get(&key).await.unwrap().is_none());
        assert_eq!(files_under(&root), 0);
        std::fs::remove_dir_all(root).unwrap();
    }
}
