import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import { routeSignInReturn } from './lib/links';
import 'element-plus/theme-chalk/base.css';
import 'element-plus/es/components/message/style/css';
import './theme.css';

routeSignInReturn();
createApp(App).use(router).mount('#app');
