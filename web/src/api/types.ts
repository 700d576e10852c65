/** Names for the generated API types the pages use (see schema.d.ts; `npm run gen:api`). */
import type { BodyOf, SuccessOf } from './client.js'
import type { operations } from './schema.js'

type OpId = keyof operations
/** What an operation answers with on success. */
export type Res<O extends OpId> = SuccessOf<operations[O]>
/** The JSON body an operation takes. */
export type Body<O extends OpId> = BodyOf<operations[O]>

// ---- directory and club pages -------------------------------------------------------------
export type ClubList = Res<'getClubs'>
export type ClubCard = ClubList['clubs'][number]
export type ListTag = ClubList['tags'][number]
export type ListBadge = ClubList['badges'][number]
export type ClubDetail = Res<'getClubsByCode'>
export type OpenApplication = ClubDetail['applications'][number]
export type TagRef = ClubDetail['tags'][number]
export type BadgeRef = ClubDetail['badges'][number]
export type Tag = Res<'getTags'>['tags'][number]

// ---- session and account ------------------------------------------------------------------
export type Me = Res<'getMe'>
export type SessionUser = NonNullable<Me['user']>
export type OverlayResponse = Res<'getMeOverlay'>
export type Profile = Res<'getMeProfile'>
export type ProfilePatch = Body<'patchMeProfile'>
export type InvitePreview = Res<'getInvitesByToken'>

// ---- applications (students) --------------------------------------------------------------
export type ApplicationForm = Res<'getApplicationsById'>
export type Question = ApplicationForm['questions'][number]
export type Committee = ApplicationForm['committees'][number]
export type Content = Body<'putApplicationsByIdDraft'>
export type Answer = Content['answers'][number]
export type OwnDraft = Res<'getApplicationsByIdDraft'>
export type DraftSaved = Res<'putApplicationsByIdDraft'>
export type Receipt = Res<'postApplicationsByIdSubmit'>
export type MyApplications = Res<'getMeApplications'>
export type MyApplication = MyApplications['applications'][number]

// ---- club management ----------------------------------------------------------------------
export type ClubPatch = Body<'patchClubsByCode'>
/** The club as the edit form reads it (the manage view's `club` is an open record in the document). */
export type EditableClub = Required<Pick<ClubPatch, 'name' | 'subtitle' | 'description' | 'image_url' | 'how_to_get_involved' | 'links' | 'tags'>> &
  Required<Pick<ClubPatch, 'size' | 'membership_process' | 'recruiting_season' | 'accepting_members'>> & { code: string; status: string }
export type ClubEvent = ClubDetail['events'][number]
export type ManageView = Omit<Res<'getClubsByCodeManage'>, 'club' | 'events'> & { club: EditableClub; events: ClubEvent[] }
export type ClubEditResult = Res<'patchClubsByCode'>
export type EventBody = Body<'postClubsByCodeEvents'>
export type Member = Res<'getClubsByCodeMembers'>['members'][number]
export type MemberPatch = Body<'patchClubsByCodeMembersByUserId'>
export type MembershipRequest = Res<'getClubsByCodeRequests'>['requests'][number]
export type Invite = Res<'getClubsByCodeInvites'>['invites'][number]
export type InviteBody = Body<'postClubsByCodeInvites'>
export type Role = NonNullable<InviteBody['role']>

// ---- applications (officers) --------------------------------------------------------------
export type OfficerApplication = Res<'getClubsByCodeApplications'>['applications'][number]
export type NewApplication = Body<'postClubsByCodeApplications'>
export type PublicCycle = Res<'getCycles'>['cycles'][number]
export type ManagedApplication = Res<'getApplicationsByIdManage'>
export type QuestionType = Body<'postApplicationsByIdQuestions'>['type']
export type ReviewList = Res<'getApplicationsByIdSubmissions'>
export type ReviewFilter = NonNullable<operations['getApplicationsByIdSubmissions']['parameters']['query']>
export type ReviewSubmission = ReviewList['submissions'][number]
export type ReviewNote = ReviewSubmission['notes'][number]
export type SubmissionStatus = ReviewSubmission['status']
export type Extension = Res<'getApplicationsByIdExtensions'>['extensions'][number]
export type ExtensionBody = Body<'postApplicationsByIdExtensions'>
export type DecisionPlan = Res<'postApplicationsByIdDecisionsSend'>

// ---- staff --------------------------------------------------------------------------------
export type ApprovalItem = Res<'getAdminApprovals'>['items'][number]
export type DiffEntry = ApprovalItem['diff'][number]
export type Cycle = Res<'getAdminCycles'>['cycles'][number]
export type CycleBody = Body<'postAdminCycles'>
export type CycleProgress = Res<'getAdminCyclesByIdProgress'>
export type AdminTag = Res<'getAdminTags'>['tags'][number]
export type AdminBadge = Res<'getAdminBadges'>['badges'][number]
export type BadgeBody = Body<'postAdminBadges'>
export type BadgePatch = Body<'patchAdminBadgesById'>
export type OpsSummary = Res<'getAdminOps'>
