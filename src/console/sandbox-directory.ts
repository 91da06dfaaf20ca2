/** Who is in the sandbox and which group chats it shows, in the order the page lists them. */
export type GroupKind = 'desk' | 'crew' | 'department' | 'leaders' | 'dispatch';

export interface SandboxGroup {
  chatId: string;
  name: string;
  kind: GroupKind;
  /** WeCom user ids of the people in the chat. */
  members: string[];
}

export interface SandboxPerson {
  userId: string;
  name: string;
  /** Where and what, e.g. "客户服务班 · 班长". */
  title: string;
  kind: GroupKind;
}

export interface SandboxDirectory {
  groups: SandboxGroup[];
  people: SandboxPerson[];
}
