import { createRouter, createWebHistory } from 'vue-router';

// Each surface is its own lazily loaded chunk: the kiosk never downloads the dashboard.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/dashboard' },
    { path: '/kiosk', component: () => import('./surfaces/kiosk/KioskApp.vue') },
    { path: '/dashboard/:pathMatch(.*)*', component: () => import('./surfaces/dashboard/DashboardApp.vue') },
    { path: '/t/:secret', component: () => import('./surfaces/me/TicketPage.vue') },
    { path: '/me', component: () => import('./surfaces/me/MeApp.vue') },
    { path: '/screen', component: () => import('./surfaces/screen/ScreenApp.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/dashboard' },
  ],
});
