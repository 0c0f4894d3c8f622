/**
 * The pages. Every route is under /portal, /console or /board (infra/local/static.ts and the
 * CloudFront function serve index.html there), so no page path is ever an API path. Each page
 * is its own chunk: the guide does not load the console, and only the report loads ECharts.
 */
import { createRouter, createWebHashHistory, createWebHistory } from 'vue-router';
import { HASH_ROUTES } from './lib/links';

export const router = createRouter({
  history: HASH_ROUTES ? createWebHashHistory('/') : createWebHistory('/'),
  routes: [
    { path: '/', redirect: '/portal/' },
    { path: '/portal', redirect: '/portal/' },
    { path: '/portal/', name: 'guide', component: () => import('./pages/GuidePage.vue'), meta: { title: '办事指南' } },
    {
      path: '/portal/items/:code',
      name: 'item',
      component: () => import('./pages/ItemPage.vue'),
      meta: { title: '事项详情' },
    },
    {
      path: '/portal/apply/:code',
      name: 'apply',
      component: () => import('./pages/ApplyPage.vue'),
      meta: { title: '网上申报' },
    },
    {
      path: '/portal/receipt/:caseNo',
      name: 'receipt',
      component: () => import('./pages/ReceiptPage.vue'),
      meta: { title: '申报回执' },
    },
    {
      path: '/portal/progress/:caseNo?',
      name: 'progress',
      component: () => import('./pages/ProgressPage.vue'),
      meta: { title: '办件进度' },
    },
    {
      path: '/portal/my-cases',
      name: 'my-cases',
      component: () => import('./pages/MyCasesPage.vue'),
      meta: { title: '我的办件' },
    },
    {
      path: '/portal/complaint',
      name: 'complaint',
      component: () => import('./pages/ComplaintPage.vue'),
      meta: { title: '投诉' },
    },
    {
      path: '/console',
      redirect: '/console/',
    },
    {
      path: '/console/',
      name: 'worklist',
      component: () => import('./pages/WorklistPage.vue'),
      meta: { title: '工作台' },
    },
    {
      path: '/console/callback',
      name: 'callback',
      component: () => import('./pages/SignInCallback.vue'),
      meta: { title: '正在登录' },
    },
    {
      path: '/console/cases/:caseNo',
      name: 'case',
      component: () => import('./pages/CasePage.vue'),
      meta: { title: '办件详情' },
    },
    {
      path: '/console/walk-in',
      name: 'walk-in',
      component: () => import('./pages/WalkInPage.vue'),
      meta: { title: '窗口收件' },
    },
    {
      path: '/console/posts',
      name: 'posts',
      component: () => import('./pages/PresencePage.vue'),
      meta: { title: 'AB岗' },
    },
    {
      path: '/console/inquiries',
      name: 'inquiries',
      component: () => import('./pages/InquiriesPage.vue'),
      meta: { title: '首问登记' },
    },
    {
      path: '/console/feedback',
      name: 'feedback',
      component: () => import('./pages/FeedbackPage.vue'),
      meta: { title: '差评回访与投诉' },
    },
    { path: '/board', redirect: '/board/' },
    {
      path: '/board/',
      name: 'board',
      component: () => import('./pages/BoardPage.vue'),
      meta: { title: '电子监察' },
    },
    {
      path: '/board/report',
      name: 'report',
      component: () => import('./pages/ReportPage.vue'),
      meta: { title: '月度报表' },
    },
    {
      path: '/:rest(.*)*',
      name: 'missing',
      component: () => import('./pages/NotFoundPage.vue'),
      meta: { title: '页面不存在' },
    },
  ],
});

router.afterEach((to) => {
  document.title = `${typeof to.meta.title === 'string' ? to.meta.title : ''} · 政务服务中心`;
});
