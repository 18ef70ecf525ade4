import { lazy, Suspense } from 'react';
import { Route, Switch } from 'wouter';
import { Page } from '@/components/page';
import { Loading } from '@/components/states';

// Each page loads when first visited, so the first screen carries only the shell and the page it shows.
const OverviewPage = lazy(() =>
  import('@/features/overview/components/overview-page').then((m) => ({ default: m.OverviewPage })),
);
const UploadsPage = lazy(() =>
  import('@/features/uploads/components/uploads-page').then((m) => ({ default: m.UploadsPage })),
);
const UploadDetailPage = lazy(() =>
  import('@/features/uploads/components/upload-detail-page').then((m) => ({ default: m.UploadDetailPage })),
);
const SchedulesPage = lazy(() =>
  import('@/features/schedules/components/schedules-page').then((m) => ({ default: m.SchedulesPage })),
);
const ScheduleEditPage = lazy(() =>
  import('@/features/schedules/components/schedule-edit-page').then((m) => ({ default: m.ScheduleEditPage })),
);
const DistributionsPage = lazy(() =>
  import('@/features/distributions/components/distributions-page').then((m) => ({
    default: m.DistributionsPage,
  })),
);
const RunDetailPage = lazy(() =>
  import('@/features/distributions/components/run-detail-page').then((m) => ({ default: m.RunDetailPage })),
);
const MemberDetailPage = lazy(() =>
  import('@/features/members/components/member-detail-page').then((m) => ({ default: m.MemberDetailPage })),
);
const MembersPage = lazy(() =>
  import('@/features/members/components/members-page').then((m) => ({ default: m.MembersPage })),
);
const ReturnsPage = lazy(() =>
  import('@/features/returns/components/returns-page').then((m) => ({ default: m.ReturnsPage })),
);
const SuppressionPage = lazy(() =>
  import('@/features/suppression/components/suppression-page').then((m) => ({ default: m.SuppressionPage })),
);
const SchedulerHealthPage = lazy(() =>
  import('@/features/scheduler-health/components/scheduler-health-page').then((m) => ({
    default: m.SchedulerHealthPage,
  })),
);

const NotFound = () => (
  <Page title="Page not found">
    <p>There is no page at this address. Pick one from the navigation above.</p>
  </Page>
);

export const AppRoutes = () => (
  <Suspense fallback={<Loading what="the page" />}>
    <Switch>
      <Route path="/" component={OverviewPage} />
      <Route path="/uploads" component={UploadsPage} />
      <Route path="/uploads/:id">{(params) => <UploadDetailPage id={params.id} />}</Route>
      <Route path="/schedules" component={SchedulesPage} />
      <Route path="/schedules/new">{() => <ScheduleEditPage />}</Route>
      <Route path="/schedules/:id">{(params) => <ScheduleEditPage id={params.id} />}</Route>
      <Route path="/distributions" component={DistributionsPage} />
      <Route path="/distributions/:id">{(params) => <RunDetailPage id={params.id} />}</Route>
      <Route path="/members" component={MembersPage} />
      <Route path="/members/:id">{(params) => <MemberDetailPage id={params.id} />}</Route>
      <Route path="/returns" component={ReturnsPage} />
      <Route path="/suppression" component={SuppressionPage} />
      <Route path="/scheduler-health" component={SchedulerHealthPage} />
      <Route component={NotFound} />
    </Switch>
  </Suspense>
);
