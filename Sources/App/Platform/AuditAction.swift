import Foundation

/// Every change the audit log records, with the kind of thing it changes. The raw value is what is
/// stored; the label is `audit.action.<raw value>` in both languages (a test checks that each has one).
enum AuditAction: String, CaseIterable, Sendable {
    case userLogin = "user.login", userCreate = "user.create", userUpdate = "user.update"
    case userInvitationAccepted = "user.invitationAccepted", userPasswordReset = "user.passwordReset"
    case userTwoFactorOn = "user.twoFactorOn", userTwoFactorOff = "user.twoFactorOff", userLoginCode = "user.loginCode"
    case departmentCreate = "department.create", departmentUpdate = "department.update"
    case areaCreate = "area.create", areaUpdate = "area.update", mappingUpdate = "mapping.update"
    case classificationCreate = "classification.create", classificationGroupCreate = "classification.group.create"
    case classificationAssign = "classification.assign"
    case mixingPanelCreate = "mixingPanel.create", mixingPanelProfiles = "mixingPanel.profiles"
    case adviceRequested = "advice.requested", adviceUnsolicited = "advice.unsolicited"
    case adviceGive = "advice.give", adviceAnswer = "advice.answer"
    case themeGroupCreate = "themeGroup.create", themeGroupMemberLeave = "themeGroup.member.leave", themeGroupAdvice = "themeGroup.advice"
    case councilMeetingPlan = "council.meeting.plan", councilMeetingUpdate = "council.meeting.update"
    case councilAgendaAdd = "council.agenda.add", councilDocumentUpload = "council.document.upload", councilDecision = "council.decision"
    case councilSettingsUpdate = "council.settings.update"
    case councilCandidateApply = "council.candidate.apply", councilCandidateCheck = "council.candidate.check"
    case councilCandidateNominate = "council.candidate.nominate", councilCandidateReject = "council.candidate.reject"
    case councilCandidateAppoint = "council.candidate.appoint", councilCandidateWithdraw = "council.candidate.withdraw"
    case councilMemberAdd = "council.member.add", councilMemberResign = "council.member.resign"
    case councilSelectionGroupAdd = "council.selectionGroup.add", councilAlternative = "council.alternative"
    case signalsRuleCreate = "signals.rule.create", signalsRuleDelete = "signals.rule.delete", signalsRuleMove = "signals.rule.move"
    case signalsLadderUpdate = "signals.ladder.update", signalsSettingsUpdate = "signals.settings.update"
    case signalsCategoryUpdate = "signals.category.update", signalsRuleUpdate = "signals.rule.update"
    case signalsAnswerCreate = "signals.answer.create", signalsAnswerUpdate = "signals.answer.update", signalsAnswerDelete = "signals.answer.delete"
    case open311KeyCreate = "open311.key.create", open311KeyRevoke = "open311.key.revoke"
    case initiativePropose = "initiative.propose", initiativeStep = "initiative.step", initiativeGoodExample = "initiative.goodExample"
    case initiativeSupportGiven = "initiative.supportGiven"
    case budgetCreate = "budget.create", budgetEntry = "budget.entry"
    case ideaPost = "idea.post", ideaAnswer = "idea.answer", ideaClose = "idea.close"
    case profileNoteAdd = "profile.note.add", rankingSet = "ranking.set"
    case storyPost = "story.post", storyReview = "story.review"
    case cycleSettings = "cycle.settings", cycleDraft = "cycle.draft", cycleEdit = "cycle.edit", cycleStep = "cycle.step", cycleResponse = "cycle.response", cycleNotYet = "cycle.notYet"
    case projectCreate = "project.create", projectUpdate = "project.update", linkDecide = "link.decide"
    case budgetRoundCreate = "budgetRound.create", budgetRoundSettings = "budgetRound.settings", budgetRoundAssess = "budgetRound.assess"
    case budgetRoundCodes = "budgetRound.codes", budgetRoundCodesSent = "budgetRound.codesSent", budgetRoundPaperBallot = "budgetRound.paperBallot"
    case budgetRoundClose = "budgetRound.close"
    case priorityRankingCreate = "priorityRanking.create", priorityEntrySave = "priorityRanking.entry", priorityScoresSave = "priorityRanking.scores"
    case priorityRankingAdopt = "priorityRanking.adopt"

    var entityType: AuditEntityType {
        switch self {
        case .userLogin, .userCreate, .userUpdate, .userInvitationAccepted, .userPasswordReset, .userTwoFactorOn, .userTwoFactorOff, .userLoginCode: return .user
        case .departmentCreate, .departmentUpdate: return .department
        case .areaCreate, .areaUpdate: return .area
        case .mappingUpdate: return .mapping
        case .classificationCreate, .classificationGroupCreate, .classificationAssign: return .classification
        case .mixingPanelCreate, .mixingPanelProfiles: return .mixingPanel
        case .adviceRequested, .adviceUnsolicited, .adviceGive, .adviceAnswer, .themeGroupAdvice: return .advice
        case .themeGroupCreate, .themeGroupMemberLeave: return .themeGroup
        case .councilMeetingPlan, .councilMeetingUpdate, .councilAgendaAdd, .councilDocumentUpload: return .councilMeeting
        case .councilDecision: return .councilDecision
        case .councilSettingsUpdate: return .councilSettings
        case .councilCandidateApply, .councilCandidateCheck, .councilCandidateNominate, .councilCandidateReject,
             .councilCandidateAppoint, .councilCandidateWithdraw: return .councilCandidate
        case .councilMemberAdd, .councilMemberResign: return .councilMember
        case .councilSelectionGroupAdd: return .selectionGroup
        case .councilAlternative: return .alternativeParticipation
        case .signalsRuleCreate, .signalsRuleDelete, .signalsRuleMove, .signalsRuleUpdate: return .routingRule
        case .signalsAnswerCreate, .signalsAnswerUpdate, .signalsAnswerDelete: return .standardAnswer
        case .signalsLadderUpdate: return .escalationLadder
        case .signalsSettingsUpdate: return .signalSettings
        case .signalsCategoryUpdate: return .signalCategory
        case .open311KeyCreate, .open311KeyRevoke: return .open311Key
        case .initiativePropose, .initiativeStep, .initiativeGoodExample, .initiativeSupportGiven: return .initiative
        case .budgetCreate, .budgetEntry: return .budget
        case .ideaPost, .ideaAnswer, .ideaClose: return .idea
        case .profileNoteAdd: return .profileNote
        case .rankingSet: return .ranking
        case .storyPost, .storyReview: return .areaStory
        case .cycleDraft, .cycleEdit, .cycleStep, .cycleResponse: return .cycleProduct
        case .cycleNotYet: return .area
        case .cycleSettings: return .cycleSettings
        case .projectCreate, .projectUpdate: return .areaProject
        case .linkDecide: return .linkingOpportunity
        case .budgetRoundCreate, .budgetRoundSettings, .budgetRoundAssess, .budgetRoundCodes, .budgetRoundCodesSent, .budgetRoundPaperBallot, .budgetRoundClose: return .budgetRound
        case .priorityRankingCreate, .priorityEntrySave, .priorityScoresSave, .priorityRankingAdopt: return .priorityRanking
        }
    }

    /// Actions that record an event rather than a change of data (no before/after needed).
    /// Events say what happened without a before and after (a password or a second factor is never logged).
    var isEvent: Bool { [.userLogin, .userInvitationAccepted, .userPasswordReset, .userTwoFactorOn, .userTwoFactorOff, .userLoginCode].contains(self) }

    var labelKey: String { "audit.action." + rawValue }
}

/// The kinds of things the audit log records changes of; labelled `audit.type.<raw value>`.
enum AuditEntityType: String, CaseIterable, Sendable {
    case user, department, area, mapping, classification, mixingPanel, advice, themeGroup
    case councilMeeting, councilDecision, councilSettings, councilCandidate, councilMember, selectionGroup, alternativeParticipation
    case routingRule, standardAnswer, escalationLadder, signalSettings, signalCategory, open311Key, initiative, budget, idea, profileNote, ranking, areaStory, cycleProduct, areaProject, linkingOpportunity, cycleSettings, budgetRound, priorityRanking

    var labelKey: String { "audit.type." + rawValue }
}
