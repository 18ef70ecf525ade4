/** The console's pages in the order the main navigation shows them. */
export const NAVIGATION = [
  { href: '/', label: 'Overview' },
  { href: '/uploads', label: 'Uploads' },
  { href: '/schedules', label: 'Schedules' },
  { href: '/distributions', label: 'Distributions' },
  { href: '/members', label: 'Members' },
  { href: '/returns', label: 'Returns' },
  { href: '/suppression', label: 'Suppression' },
  { href: '/scheduler-health', label: 'Scheduler health' },
] as const;
