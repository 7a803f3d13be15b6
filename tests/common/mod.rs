//! Helpers shared by the end-to-end suites: run the real `pst` binary, validate every
//! `pst.json` against the schema, count and find entities.
#![allow(dead_code)] // each suite uses a subset

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

use serde_json::Value;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

static SCHEMA: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let text =
        std::fs::read_to_string(root().join("schema/pst-1.schema.json")).expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
});

/// What one run of `pst ingest --out DIR` produced.
pub struct Run {
    pub status: i32,
    pub json: Value,
    pub json_text: String,
    pub stderr: String,
    pub out: tempfile::TempDir,
}

impl Run {
    pub fn csv(&self, name: &str) -> String {
        std::fs::read_to_string(self.out.path().join("csv").join(name)).expect("csv table")
    }

    pub fn plans(&self) -> &Vec<Value> {
        self.json["plans"].as_array().expect("plans")
    }

    /// (source, message) of every error diagnostic.
    pub fn errors(&self) -> Vec<(String, String)> {
        self.diagnostics()
            .into_iter()
            .filter(|(severity, ..)| severity == "error")
            .map(|(_, source, _, message)| (source, message))
            .collect()
    }

    pub fn diagnostics(&self) -> Vec<(String, String, Option<u64>, String)> {
        self.json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                (
                    d["severity"].as_str().unwrap_or_default().to_owned(),
                    d["source"].as_str().unwrap_or_default().to_owned(),
                    d["line"].as_u64(),
                    d["message"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }
}

/// Runs `pst ingest --out <tmp> ARGS…` from the repository root; checks the schema.
pub fn ingest(args: &[&str]) -> Run {
    ingest_with_threads(args, None)
}

pub fn ingest_with_threads(args: &[&str], threads: Option<usize>) -> Run {
    let out = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_pst"));
    command
        .current_dir(root())
        .arg("ingest")
        .arg("--out")
        .arg(out.path())
        .args(args);
    if let Some(threads) = threads {
        command.env("RAYON_NUM_THREADS", threads.to_string());
    }
    let output = command.output().expect("pst runs");
    let json_text = std::fs::read_to_string(out.path().join("pst.json")).expect("pst.json written");
    let json: Value = serde_json::from_str(&json_text).expect("pst.json is JSON");
    let errors: Vec<String> = SCHEMA
        .iter_errors(&json)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "pst.json breaks the schema: {errors:#?}");
    Run {
        status: output.status.code().unwrap_or(-1),
        json,
        json_text,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        out,
    }
}

/// (OS, OO, actions) of a plan.
pub fn counts(plan: &Value) -> (usize, usize, usize) {
    let oss = plan["strategic_objectives"].as_array().expect("OS list");
    let oos: Vec<&Value> = oss
        .iter()
        .flat_map(|os| os["operational_objectives"].as_array().expect("OO list"))
        .collect();
    let actions = oos
        .iter()
        .map(|oo| oo["actions"].as_array().expect("actions").len())
        .sum();
    (oss.len(), oos.len(), actions)
}

pub fn find<'a>(plan: &'a Value, volet: &str, os: &str, oo: &str) -> &'a Value {
    plan["strategic_objectives"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| volet_is(o, volet) && o["code"] == os)
        .flat_map(|o| o["operational_objectives"].as_array().into_iter().flatten())
        .find(|o| o["code"] == oo)
        .unwrap_or_else(|| panic!("{volet} {os} {oo} not found"))
}

/// `volet` is "externe", "interne" or "null" (no volet).
pub fn volet_is(objective: &Value, volet: &str) -> bool {
    if volet == "null" {
        objective["volet"].is_null()
    } else {
        objective["volet"] == volet
    }
}

/// Per volet: (OS, OO, actions).
pub fn volet_counts(plan: &Value, volet: &str) -> (usize, usize, usize) {
    let oss: Vec<&Value> = plan["strategic_objectives"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| volet_is(o, volet))
        .collect();
    let oos: Vec<&Value> = oss
        .iter()
        .flat_map(|o| o["operational_objectives"].as_array().into_iter().flatten())
        .collect();
    let actions = oos
        .iter()
        .map(|o| o["actions"].as_array().map_or(0, Vec::len))
        .sum();
    (oss.len(), oos.len(), actions)
}

/// The values of `field` (a string) of every element of an array, e.g. the titles of an
/// OO's actions.
pub fn strings<'a>(array: &'a Value, field: &str) -> Vec<&'a str> {
    array
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v[field].as_str())
        .collect()
}

/// Every action of a plan, in document order.
pub fn actions(plan: &Value) -> Vec<&Value> {
    plan["strategic_objectives"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|os| {
            os["operational_objectives"]
                .as_array()
                .into_iter()
                .flatten()
        })
        .flat_map(|oo| oo["actions"].as_array().into_iter().flatten())
        .collect()
}

/// The action with this code (the first, in document order).
pub fn action<'a>(plan: &'a Value, code: &str) -> &'a Value {
    actions(plan)
        .into_iter()
        .find(|a| a["code"] == code)
        .unwrap_or_else(|| panic!("action {code}"))
}

/// Checks `file` with xmllint: well-formed, and valid against the eComptes schema when
/// `schema` is set (Debian package libxml2-utils).
pub fn xmllint(file: &Path, schema: bool) -> Result<(), String> {
    let mut command = Command::new("xmllint");
    command.arg("--noout");
    if schema {
        command
            .arg("--schema")
            .arg(root().join("schema/ecomptes/schema_import_ecomptes_201805V1.xsd"));
    }
    let output = command
        .arg(file)
        .output()
        .map_err(|e| format!("xmllint cannot run ({e}): install libxml2-utils"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
