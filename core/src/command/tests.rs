//! Table tests of the grammar: what parses, what each bad input answers, and that encoding
//! round-trips through parsing.

use super::*;
use crate::skill::Skill;

fn parse(line: &str) -> Result<Command, String> {
    let mut words = line.split(' ');
    let name = words.next().unwrap();
    let args: Vec<&[u8]> = words.map(str::as_bytes).collect();
    Command::parse(name, &args).map_err(|e| e.reply_text())
}

#[test]
fn parses_full_forms() {
    assert_eq!(
        parse("acd.enqueue c1 skills 2 english billing=5 priority -3 META {} at 17"),
        Ok(Command::Enqueue(Enqueue {
            contact: "c1".into(),
            skills: vec![Skill::new("english", 1), Skill::new("billing", 5)],
            relax: vec![],
            channel: None,
            priority: Some(-3),
            meta: Some("{}".into()),
            at: Some(17),
        }))
    );
    assert_eq!(
        parse("ACD.AGENT.GRANT a1 english=2 at at 5"),
        Ok(Command::AgentGrant(AgentGrant {
            agent: "a1".into(),
            skills: vec![Skill::new("english", 2), Skill::new("at", 1)],
            at: Some(5),
        }))
    );
    assert_eq!(
        parse("ACD.ENQUEUE c1 SKILLS 2 english billing=5 then 30000 skills 1 english PRIORITY 2 THEN 60000 SKILLS 0"),
        Ok(Command::Enqueue(Enqueue {
            contact: "c1".into(),
            skills: vec![Skill::new("english", 1), Skill::new("billing", 5)],
            relax: vec![
                Relaxation {
                    after_ms: 30000,
                    skills: vec![Skill::new("english", 1)],
                },
                Relaxation {
                    after_ms: 60000,
                    skills: vec![],
                },
            ],
            channel: None,
            priority: Some(2),
            meta: None,
            at: None,
        }))
    );
    assert_eq!(
        parse("ACD.AGENT.ADD a1 SKILLS 1 english CAPACITY voice=1 chat=3 META {}"),
        Ok(Command::AgentAdd(AgentAdd {
            agent: "a1".into(),
            skills: vec![Skill::new("english", 1)],
            capacity: Some(vec![
                crate::Capacity::new("chat", 3),
                crate::Capacity::new("voice", 1)
            ]),
            meta: Some("{}".into()),
            at: None,
        }))
    );
    assert_eq!(
        parse("ACD.ENQUEUE c1 SKILLS 0 channel chat"),
        Ok(Command::Enqueue(Enqueue {
            contact: "c1".into(),
            skills: vec![],
            relax: vec![],
            channel: Some("chat".into()),
            priority: None,
            meta: None,
            at: None,
        }))
    );
    assert_eq!(
        parse("ACD.CONFIG SET voice-blocks YES"),
        Ok(Command::Config(Config::Set {
            value: ConfigValue::VoiceBlocks(true),
            at: None
        }))
    );
    assert_eq!(
        parse("ACD.CONFIG SET Strategy Most-Skilled AT 3"),
        Ok(Command::Config(Config::Set {
            value: ConfigValue::Strategy(crate::Strategy::MostSkilled),
            at: Some(3)
        }))
    );
    assert_eq!(
        parse("ACD.CONFIG SET Mode MANUAL"),
        Ok(Command::Config(Config::Set {
            value: ConfigValue::Mode(crate::Mode::Manual),
            at: None
        }))
    );
}

#[test]
fn bad_inputs_answer_precisely() {
    let cases = [
        (
            "ACD.AGENT.GET",
            "ERR wrong number of arguments for 'acd.agent.get' command",
        ),
        (
            "ACD.AGENT.GET a b",
            "ERR wrong number of arguments for 'acd.agent.get' command",
        ),
        ("ACD.AGENT.ADD a1", "ERR syntax error"),
        ("ACD.AGENT.ADD a1 SKILLS 2 x", "ERR syntax error"),
        ("ACD.AGENT.ADD a1 SKILLS 1 x SKILLS 1 y", "ERR syntax error"),
        (
            "ACD.AGENT.ADD a1 SKILLS -1",
            "ERR skill count must be a non-negative integer",
        ),
        ("ACD.AGENT.ADD a1 SKILLS 2 x x", "ERR duplicate skill 'x'"),
        (
            "ACD.AGENT.ADD a1 SKILLS 1 x=11",
            "ERR level must be an integer from 1 to 10",
        ),
        (
            "ACD.AGENT.ADD a1 SKILLS 0 META [1]",
            "ERR meta must be a JSON object",
        ),
        (
            "ACD.AGENT.ADD a1 SKILLS 0 META {",
            "ERR meta must be a JSON object",
        ),
        ("ACD.AGENT.ADD a1 SKILLS 0 BOGUS 1", "ERR syntax error"),
        ("ACD.AGENT.ADD a1 SKILLS 0 AT", "ERR syntax error"),
        (
            "ACD.AGENT.ADD a1 SKILLS 0 AT -1",
            "ERR AT must be a non-negative integer (Unix ms)",
        ),
        (
            "ACD.ENQUEUE c1 SKILLS 0 PRIORITY x",
            "ERR priority must be an integer",
        ),
        ("ACD.ENQUEUE c1", "ERR syntax error"),
        (
            "ACD.DISPATCH COUNT 0",
            "ERR COUNT must be a positive integer",
        ),
        ("ACD.QUEUE COUNT x", "ERR COUNT must be a positive integer"),
        (
            "ACD.AGENTS STATE gone",
            "ERR state must be ready, notready, busy, offered or wrapup",
        ),
        ("ACD.CONFIG GET nope", "ERR unknown config parameter 'nope'"),
        (
            "ACD.CONFIG SET mode fast",
            "ERR mode must be auto or manual",
        ),
        (
            "ACD.CONFIG SET retention -5",
            "ERR retention must be a non-negative integer (seconds)",
        ),
        ("ACD.CONFIG DROP mode", "ERR syntax error"),
        ("ACD.CONFIG GET mode extra", "ERR syntax error"),
        ("ACD.CONFIG.GET nope", "ERR unknown config parameter 'nope'"),
        ("ACD.CONFIG.GET mode extra", "ERR syntax error"),
        (
            "ACD.CONFIG GET",
            "ERR wrong number of arguments for 'acd.config' command",
        ),
        (
            "ACD.AGENT.REVOKE a1 x=2",
            "ERR skill name must be non-empty and must not contain '='",
        ),
        (
            "ACD.AGENT.REVOKE a1",
            "ERR wrong number of arguments for 'acd.agent.revoke' command",
        ),
        ("ACD.READY  ", "ERR id must be non-empty"),
        ("ACD.READY a1 AT 1 AT 2", "ERR syntax error"),
        ("ACD.OPEN now", "ERR syntax error"),
        (
            "ACD.ENQUEUE c1 THEN 10 SKILLS 0 SKILLS 0",
            "ERR syntax error",
        ),
        ("ACD.ENQUEUE c1 SKILLS 0 THEN 10", "ERR syntax error"),
        (
            "ACD.ENQUEUE c1 SKILLS 0 THEN 10 PRIORITY 1",
            "ERR syntax error",
        ),
        (
            "ACD.ENQUEUE c1 SKILLS 0 THEN 10 SKILLS 2 x",
            "ERR syntax error",
        ),
        (
            "ACD.ENQUEUE c1 SKILLS 0 THEN 0 SKILLS 0",
            "ERR THEN must be a positive integer (ms)",
        ),
        (
            "ACD.ENQUEUE c1 SKILLS 0 THEN -5 SKILLS 0",
            "ERR THEN must be a positive integer (ms)",
        ),
        (
            "ACD.ENQUEUE c1 SKILLS 0 THEN 9223372036854775807 SKILLS 0",
            "ERR THEN must be a positive integer (ms)",
        ),
        (
            "ACD.ENQUEUE c1 SKILLS 1 a THEN 20 SKILLS 0 THEN 20 SKILLS 0",
            "ERR THEN times must be strictly increasing",
        ),
        (
            "ACD.ENQUEUE c1 SKILLS 1 a THEN 20 SKILLS 0 THEN 10 SKILLS 0",
            "ERR THEN times must be strictly increasing",
        ),
        (
            "ACD.ENQUEUE c1 SKILLS 1 a THEN 20 SKILLS 2 b b",
            "ERR duplicate skill 'b'",
        ),
        (
            "ACD.CONFIG SET strategy fastest",
            "ERR strategy must be longest-available, most-skilled, round-robin or least-occupied",
        ),
        (
            "ACD.CONFIG SET priority-age -1",
            "ERR priority-age must be a non-negative integer (ms)",
        ),
        (
            "ACD.CONFIG SET occupancy-window 1.5",
            "ERR occupancy-window must be a non-negative integer (ms)",
        ),
        ("ACD.AGENT.ADD a1 SKILLS 0 CAPACITY", "ERR syntax error"),
        (
            "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY META {}",
            "ERR syntax error",
        ),
        (
            "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY chat=1001",
            "ERR capacity must be an integer from 0 to 1000",
        ),
        (
            "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY =2",
            "ERR channel name must be non-empty and must not contain '='",
        ),
        (
            "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY chat=1 chat=2",
            "ERR duplicate channel 'chat'",
        ),
        (
            "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY chat=1 CAPACITY voice=1",
            "ERR syntax error",
        ),
        ("ACD.ENQUEUE c1 SKILLS 0 CHANNEL", "ERR syntax error"),
        (
            "ACD.ENQUEUE c1 SKILLS 0 CHANNEL a=b",
            "ERR channel name must be non-empty and must not contain '='",
        ),
        (
            "ACD.ENQUEUE c1 SKILLS 0 CHANNEL a CHANNEL b",
            "ERR syntax error",
        ),
        (
            "ACD.ESTIMATE SKILLS 0 CHANNEL =",
            "ERR channel name must be non-empty and must not contain '='",
        ),
        (
            "ACD.CONFIG SET voice-blocks maybe",
            "ERR voice-blocks must be yes or no",
        ),
    ];
    for (line, want) in cases {
        assert_eq!(parse(line), Err(want.to_owned()), "{line}");
    }
}

#[test]
fn non_utf8_is_rejected() {
    let args: [&[u8]; 1] = [b"\xff"];
    assert_eq!(
        Command::parse("ACD.READY", &args).map_err(|e| e.reply_text()),
        Err("ERR arguments must be valid UTF-8".to_owned())
    );
}

#[test]
fn encode_round_trips() {
    let lines = [
        "ACD.AGENT.ADD a1 SKILLS 2 english billing=3 META {\"x\":1} AT 5",
        "ACD.AGENT.DEL a1 AT 5",
        "ACD.AGENT.GET a1",
        "ACD.AGENT.META a1 {} AT 1",
        "ACD.AGENT.GRANT a1 x y=9",
        "ACD.AGENT.REVOKE a1 x AT 3",
        "ACD.SKILL.DEL x",
        "ACD.READY a1",
        "ACD.NOTREADY a1 REASON lunch AT 9",
        "ACD.AGENTS STATE busy",
        "ACD.ENQUEUE c1 SKILLS 1 x=2 PRIORITY 4",
        "ACD.ENQUEUE c1 SKILLS 0 THEN 5 SKILLS 0 CHANNEL chat AT 3",
        "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY chat=3 voice=0",
        "ACD.ESTIMATE SKILLS 1 x CHANNEL email PRIORITY 2",
        "ACD.CONFIG SET voice-blocks yes",
        "ACD.DISPATCH COUNT 3 AT 2",
        "ACD.COMPLETE c1",
        "ACD.CONTACT.GET c1",
        "ACD.QUEUE COUNT 2",
        "ACD.OPEN AT 1",
        "ACD.CLOSE",
        "ACD.STATS AT 7",
        "ACD.CONFIG GET retention",
        "ACD.CONFIG SET retention 60 AT 1",
        "ACD.STATE.LOAD blob",
        "ACD.ACCEPT c1 AT 4",
        "ACD.REJECT c1",
        "ACD.TICK AT 9",
        "ACD.EVENTS SINCE 4 COUNT 10 BLOCK 0",
        "ACD.CHECK",
        "ACD.ESTIMATE SKILLS 1 en=2 PRIORITY 3 AT 5",
        "ACD.CONFIG SET offer-timeout 15000",
        "ACD.CONFIG SET max-no-answer 3",
        "ACD.CONFIG GET sla-threshold",
        "ACD.CONFIG SET clock client",
        "ACD.ENQUEUE c1 SKILLS 1 x=2 THEN 100 SKILLS 1 x THEN 200 SKILLS 0 PRIORITY 4 AT 9",
        "ACD.CONFIG SET priority-age 30000",
        "ACD.CONFIG GET priority-age",
        "ACD.CONFIG SET strategy least-occupied",
        "ACD.CONFIG GET strategy",
        "ACD.CONFIG.GET strategy",
        "ACD.CONFIG.GET",
        "ACD.CONFIG SET occupancy-window 600000 AT 2",
    ];
    for line in lines {
        let cmd = parse(line).unwrap();
        let encoded = cmd.encode();
        let args: Vec<&[u8]> = encoded.iter().map(Vec::as_slice).collect();
        assert_eq!(Command::parse(cmd.name(), &args), Ok(cmd.clone()), "{line}");
    }
}

#[test]
fn every_command_is_listed_once() {
    let mut names: Vec<&str> = COMMANDS.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), COMMANDS.len());
    assert_eq!(names.len(), 27);
}
