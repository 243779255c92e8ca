//! Reading policy files from disk: `.rego` modules and `data.json` documents, mounted at
//! their directory's path as OPA does for directories and bundles.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::PolicyError;

pub(crate) fn read(path: &Path) -> Result<String, PolicyError> {
    std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
        path: path.to_path_buf(),
        source,
    })
}

pub(crate) fn read_json(path: &Path) -> Result<serde_json::Value, PolicyError> {
    serde_json::from_str(&read(path)?).map_err(|e| PolicyError::Data {
        name: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Modules (name, source) and data documents (name, document) found under a directory.
pub(crate) type Tree = (Vec<(String, Arc<str>)>, Vec<(String, serde_json::Value)>);

pub(crate) fn read_dir_tree(root: &Path) -> Result<Tree, PolicyError> {
    let mut modules = Vec::new();
    let mut data = Vec::new();
    let mut pending: Vec<(PathBuf, Vec<String>)> = vec![(root.to_path_buf(), Vec::new())];
    while let Some((dir, prefix)) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| PolicyError::Io {
            path: dir.clone(),
            source,
        })?;
        let mut entries: Vec<_> =
            entries
                .collect::<Result<_, _>>()
                .map_err(|source| PolicyError::Io {
                    path: dir.clone(),
                    source,
                })?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                let mut p = prefix.clone();
                p.push(name);
                pending.push((path, p));
            } else if name.ends_with(".rego") {
                modules.push((path.display().to_string(), Arc::from(read(&path)?)));
            } else if name == "data.json" {
                // Mount at the directory's path, as OPA does for bundle/directory loading.
                let doc = prefix.iter().rev().fold(
                    read_json(&path)?,
                    |inner, key| serde_json::json!({ key.as_str(): inner }),
                );
                data.push((path.display().to_string(), doc));
            }
        }
    }
    Ok((modules, data))
}
