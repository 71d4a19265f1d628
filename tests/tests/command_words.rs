//! `schemas/command-words.json` is Tencent's Webhooks Command List: every delivered word has a
//! schema folder, every folder is a listed word, and the generated `Command` agrees with both.

use std::collections::BTreeSet;

use serde_json::Value;
use trtc_live_tests::repo_root;
use trtc_live_types::Command;

fn listed_words() -> Vec<Value> {
    let text = std::fs::read_to_string(repo_root().join("schemas/command-words.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    json["command_words"].as_array().unwrap().clone()
}

fn webhook_folders() -> BTreeSet<String> {
    std::fs::read_dir(repo_root().join("schemas"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != "common")
        .collect()
}

#[test]
fn the_list_has_every_webhook_once_and_the_configuration_word() {
    let words = listed_words();
    let delivered: Vec<&Value> = words.iter().filter(|w| w["delivered"] == true).collect();
    assert_eq!(delivered.len(), webhook_folders().len());
    assert_eq!(words.len(), delivered.len() + 1, "one configuration word");
    let unique: BTreeSet<&str> = words
        .iter()
        .map(|w| w["command"].as_str().unwrap())
        .collect();
    assert_eq!(unique.len(), words.len(), "each word listed once");
    for word in &words {
        let group = word["group"].as_str().unwrap_or_default();
        assert!(
            group.starts_with(|c: char| c.is_ascii_uppercase()),
            "{word}: a group of Tencent's list (Room, User, Battle...)"
        );
        assert!(
            word["doc_url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://")),
            "{word}"
        );
        assert!(
            word["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{word}"
        );
    }
}

#[test]
fn every_listed_word_has_its_folder_and_every_folder_is_listed() {
    let words = listed_words();
    let delivered: BTreeSet<String> = words
        .iter()
        .filter(|w| w["delivered"] == true)
        .map(|w| w["command"].as_str().unwrap().to_owned())
        .collect();
    let folders = webhook_folders();
    for word in &delivered {
        assert!(
            folders.contains(word),
            "{word} is listed but schemas/{word}/ is missing"
        );
    }
    for folder in &folders {
        assert!(
            delivered.contains(folder),
            "schemas/{folder}/ is not a delivered word of schemas/command-words.json"
        );
    }
}

#[test]
fn the_generated_command_table_is_the_list() {
    let words = listed_words();
    let delivered: Vec<&Value> = words.iter().filter(|w| w["delivered"] == true).collect();
    assert_eq!(Command::ALL.len(), delivered.len());
    for word in delivered {
        let text = word["command"].as_str().unwrap();
        let command = Command::from_command_word(text).unwrap();
        assert_eq!(command.as_str(), text);
        assert_eq!(command.group(), word["group"].as_str().unwrap());
        assert_eq!(command.title(), word["title"].as_str().unwrap());
        assert_eq!(command.doc_url(), word["doc_url"].as_str().unwrap());
        assert_eq!(command.response_is_a_decision(), word["kind"] == "before");
    }
    let configuration: Vec<&str> = words
        .iter()
        .filter(|w| w["delivered"] == false)
        .map(|w| w["command"].as_str().unwrap())
        .collect();
    assert_eq!(configuration, ["Live.CallbackBeforeCallBackNotBlock"]);
    for word in configuration {
        assert_eq!(Command::from_command_word(word), None);
        assert!(Command::CONFIGURATION_WORDS.iter().any(|(w, _)| *w == word));
    }
}
